import Foundation

/// The `syscost.run/1` JSON report (docs/report-schema.md).
public struct JSONExporter: ReportExporter {
    public init() {}

    public func export(_ report: RunReport) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(report), as: UTF8.self) + "\n"
    }
}
