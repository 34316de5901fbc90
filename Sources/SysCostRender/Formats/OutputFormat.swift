import Foundation
import SysCostModel

/// Every format syscost prints or writes. Each command says which it takes.
public enum OutputFormat: String, CaseIterable, Sendable {
    case table, markdown, csv, json, html
    /// Prometheus's text exposition format (a run or a gate): what node_exporter's textfile collector reads.
    case openmetrics
    /// Bencher Metric Format (a run only).
    case bmf
    /// github-action-benchmark's `customSmallerIsBetter` array (a run only).
    case githubActionBenchmark = "github-action-benchmark"
    /// google/benchmark's JSON, which its tools/compare.py reads (a run only).
    case googleBenchmark = "google-benchmark"

    /// The format a file name's extension implies, if any.
    public init?(pathExtension: String) {
        switch pathExtension.lowercased() {
        case "json": self = .json
        case "csv": self = .csv
        case "md", "markdown": self = .markdown
        case "txt": self = .table
        case "html", "htm": self = .html
        case "prom": self = .openmetrics
        default: return nil
        }
    }

    /// "table, markdown or json".
    public static func list(_ formats: [OutputFormat]) -> String {
        let names = formats.map(\.rawValue)
        guard let last = names.last, names.count > 1 else { return names.joined() }
        return names.dropLast().joined(separator: ", ") + " or " + last
    }
}
