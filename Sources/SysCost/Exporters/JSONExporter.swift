import Foundation

/// The `syscost.run/1` JSON report (docs/report-schema.md).
public struct JSONExporter: ReportExporter {
    public init() {}

    public func export(_ report: RunReport) throws -> String { try PrettyJSON.string(report) }
}

/// The JSON every syscost output uses: indented, keys sorted (so reports diff well), slashes
/// left alone, a final newline.
public enum PrettyJSON {
    public static func string<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    }
}
