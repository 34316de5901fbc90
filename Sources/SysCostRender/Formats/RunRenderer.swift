import Foundation
import SysCostModel

/// A run report in any format.
public enum RunRenderer {
    /// `pretty`: indented JSON (`--pretty`); run reports are compact by default.
    public static func render(_ report: RunReport, as format: OutputFormat, pretty: Bool = false) throws -> String {
        switch format {
        case .table: return Escape.terminal(TextRenderer.render(RunDocument(report)), keepingNewlines: true)
        case .markdown: return Escape.terminal(MarkdownRenderer.render(RunDocument(report)), keepingNewlines: true)
        case .csv: return CSVRenderer.render(report)
        case .json: return try PrettyJSON.string(report, pretty: pretty)
        case .html: return HTMLReport.page([(path: "", report: report)])
        }
    }
}
