import Foundation
import SysCostModel

/// Documents as GitHub-flavoured Markdown, for pasting into issues and READMEs.
public enum MarkdownRenderer {
    public static func render(_ doc: RunDocument) -> String {
        var out = table(doc.results, code: true)
        for section in [doc.latency].compactMap({ $0 }) + doc.sections { out += "\n" + render(section) }
        out += "\n" + doc.notes.map { "- \(cell($0))\n" }.joined()
        return out
    }

    public static func render(_ section: ReportSection) -> String {
        var out = "### \(cell(section.title))\n\n"
        out += section.lines.map { "- \(cell($0))\n" }.joined()
        if let t = section.table { out += (section.lines.isEmpty ? "" : "\n") + table(t, code: false) }
        if !section.notes.isEmpty { out += "\n" + section.notes.map { "- \(cell($0))\n" }.joined() }
        return out
    }

    /// `code`: the first column holds ids, set in code spans.
    public static func table(_ t: Table, code: Bool) -> String {
        var out = "| " + t.header.map(cell).joined(separator: " | ") + " |\n|"
        out += t.header.indices.map { t.numericColumns.contains($0) ? "--:|" : "---|" }.joined() + "\n"
        for row in t.rows {
            out += "| " + row.enumerated().map { i, s in
                i == 0 && code && !s.isEmpty ? "`\(s)`" : cell(s)
            }.joined(separator: " | ") + " |\n"
        }
        return out
    }

    /// Text safe in a table cell or list item: pipes escaped, no line breaks.
    public static func cell(_ s: String) -> String {
        s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
