import Foundation

/// One output format of a run report.
public protocol ReportExporter {
    func export(_ report: RunReport) throws -> String
}

public enum ReportFormat: String, CaseIterable {
    case table, markdown, csv, json

    public var exporter: ReportExporter {
        switch self {
        case .table: return TableExporter()
        case .markdown: return MarkdownExporter()
        case .csv: return CSVExporter()
        case .json: return JSONExporter()
        }
    }

    /// The format a file name's extension implies, if any.
    public init?(pathExtension: String) {
        switch pathExtension.lowercased() {
        case "json": self = .json
        case "csv": self = .csv
        case "md", "markdown": self = .markdown
        case "txt": self = .table
        default: return nil
        }
    }
}

/// Number formatting shared by the human-readable exporters.
enum Format {
    static func ns(_ value: Double?) -> String {
        guard let value else { return "-" }
        if abs(value) >= 10_000 { return String(format: "%.0f", value) }
        if abs(value) >= 100 { return String(format: "%.1f", value) }
        return String(format: "%.2f", value)
    }

    static func percent(_ value: Double?) -> String {
        guard let value else { return "-" }
        return String(format: "%.1f%%", value * 100)
    }

    static func ci(_ s: Summary?) -> String {
        guard let s else { return "-" }
        return "\(ns(s.ci95Low))–\(ns(s.ci95High))"
    }
}
