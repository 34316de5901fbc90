import Foundation
import SysCostModel

/// Documents as GitHub-flavoured Markdown, for pasting into issues and READMEs.
public enum MarkdownRenderer {
    public static func render(_ doc: RunDocument) -> String {
        var out = doc.headline.map { render($0) + "\n" } ?? ""
        out += table(doc.results, code: true)
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
                i == 0 && code && !s.isEmpty ? Self.code(s) : cell(s)
            }.joined(separator: " | ") + " |\n"
        }
        return out
    }

    /// Text safe in a table cell or list item, whatever a report put in it: control characters
    /// and line breaks shown as escapes, HTML's `&`, `<` and `>` as entities, and a backslash,
    /// pipe, backtick or bracket escaped, so nothing opens a tag, a code span or a link, or
    /// leaves its cell.
    public static func cell(_ s: String) -> String {
        let safe = Escape.terminal(s)
        guard safe.contains(where: { "\\|`[]&<>".contains($0) }) else { return safe }
        var out = ""
        for c in safe {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\\", "|", "`", "[", "]": out += "\\" + String(c)
            default: out.append(c)
            }
        }
        return out
    }

    /// An id in a code span, when it can be one safely (no backtick, pipe or backslash, which a
    /// table cell's code span cannot hold); otherwise the same text as a plain escaped cell.
    public static func code(_ s: String) -> String {
        let safe = Escape.terminal(s)
        return safe.contains(where: { "`|\\".contains($0) }) ? cell(safe) : "`" + safe + "`"
    }
}
