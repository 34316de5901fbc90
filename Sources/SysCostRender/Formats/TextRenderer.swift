import Foundation
import SysCostModel

/// Documents as a terminal shows them: aligned columns, titled sections, notes indented.
public enum TextRenderer {
    /// The headline first, then what every row shares, then the table and the sections.
    public static func render(_ doc: RunDocument) -> String {
        var out = doc.headline.map { render($0) + "\n" } ?? ""
        for kind in doc.commonFlags {
            out += "Every result is flagged \(kind.rawValue) (\(kind.explanation)): \(kind.whenEveryResultHasIt).\n"
        }
        if !doc.commonFlags.isEmpty { out += "\n" }
        out += align(doc.compactResults) + "\n"
        for section in [doc.latency].compactMap({ $0 }) + doc.sections { out += "\n" + render(section) }
        out += "\n" + doc.notes.map { $0 + "\n" }.joined()
        return out
    }

    public static func render(_ section: ReportSection) -> String {
        var out = section.title + "\n"
        out += section.lines.map { "  \($0)\n" }.joined()
        if let table = section.table { out += align(table) + "\n" }
        out += section.notes.map { "  \($0)\n" }.joined()
        return out
    }

    public static func align(_ table: Table) -> String {
        align([table.header] + table.rows, rightAligned: table.numericColumns)
    }

    /// Rows in columns: each cell made safe for a terminal (`Escape.terminal`), padded to its
    /// column's width in terminal columns (a wide character takes two). Rows may differ in
    /// length; no rows make an empty string.
    public static func align(_ rows: [[String]], rightAligned: Set<Int>) -> String {
        let rows = rows.map { $0.map { Escape.terminal($0) } }
        let columns = rows.map(\.count).max() ?? 0
        let widths = (0..<columns).map { col in rows.map { $0.indices.contains(col) ? Escape.width($0[col]) : 0 }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { col, cell in
                let pad = String(repeating: " ", count: widths[col] - Escape.width(cell))
                return rightAligned.contains(col) ? pad + cell : cell + pad
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }.joined(separator: "\n")
    }
}
