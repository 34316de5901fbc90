import Foundation
import SysCostModel

/// A run report in any format.
public enum RunRenderer {
    public static func render(_ report: RunReport, as format: OutputFormat) throws -> String {
        switch format {
        case .table: return TextRenderer.render(RunDocument(report))
        case .markdown: return MarkdownRenderer.render(RunDocument(report))
        case .csv: return CSVRenderer.render(report)
        case .json: return try PrettyJSON.string(report)
        case .html: return HTMLReport.page([(path: "", report: report)])
        }
    }
}
