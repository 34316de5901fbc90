import Foundation
import SysCostModel

/// A run report in any format.
extension RunReport: Exportable {
    public static let formats: [OutputFormat] = OutputFormat.allCases

    public func export(as format: OutputFormat, _ options: ExportOptions) throws -> String {
        switch format {
        case .table: return Escape.terminal(TextRenderer.render(RunDocument(self)), keepingNewlines: true)
        case .markdown: return Escape.terminal(MarkdownRenderer.render(RunDocument(self)), keepingNewlines: true)
        case .csv: return CSVRenderer.render(self)
        case .json: return try PrettyJSON.string(self, pretty: options.pretty)
        case .html: return HTMLReport.page([(path: "", report: self)])
        case .openmetrics: return PrometheusRenderer.render(self)
        case .bmf: return try BenchmarkToolJSON.bmf(self)
        case .githubActionBenchmark: return try BenchmarkToolJSON.githubActionBenchmark(self)
        case .googleBenchmark: return try GoogleBenchmarkJSON.render(self)
        }
    }

    /// google/benchmark's JSON entry by entry (it grows with every round); the rest whole.
    public func write(as format: OutputFormat, _ options: ExportOptions, to sink: TextSink) throws {
        guard format == .googleBenchmark else { return try sink.write(try export(as: format, options)) }
        try GoogleBenchmarkJSON.write(self, to: sink)
    }
}
