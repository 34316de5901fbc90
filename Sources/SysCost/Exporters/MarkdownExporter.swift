import Foundation

/// A GitHub-flavoured Markdown table, for pasting into issues and READMEs.
public struct MarkdownExporter: ReportExporter {
    public init() {}

    public func export(_ report: RunReport) throws -> String {
        var out = "| benchmark | category | median ns/op | 95% CI | CV | TSC cycles |\n"
        out += "|---|---|--:|--:|--:|--:|\n"
        for r in report.results {
            let s = r.summary
            let median = r.status == .failed ? "**failed**" : Format.ns(s?.median)
            out += "| `\(r.id)` | \(r.category) | \(median) | \(Format.ci(s)) | \(Format.percent(s?.cv)) | "
            out += "\(r.tscCyclesPerOp.map { String(format: "%.0f", $0) } ?? "-") |\n"
        }
        for (title, lines) in [(SwitchSection.title, SwitchSection.lines(for: report)),
                               (KernelEntrySection.title, KernelEntrySection.lines(for: report))] where !lines.isEmpty {
            out += "\n### \(title)\n\n" + lines.map { "- \($0)\n" }.joined()
        }
        let counters = CounterSection.table(for: report)
        for section in [WorkingSetSection.rows(for: report).map { (WorkingSetSection.title, $0) },
                        IndirectSection.rows(for: report).map { (IndirectSection.title, $0) },
                        counters.map { (CounterSection.title, (header: $0.header, rows: $0.rows)) }].compactMap({ $0 }) {
            let (title, table) = section
            out += "\n### \(title)\n\n| " + table.header.joined(separator: " | ") + " |\n|"
            out += String(repeating: "--:|", count: table.header.count) + "\n"
            out += table.rows.map { "| " + $0.joined(separator: " | ") + " |\n" }.joined()
        }
        if let counters { out += "\n" + counters.notes.map { "- \($0)\n" }.joined() }

        out += "\n" + Notes.lines(for: report).map { "- \($0)\n" }.joined()
        return out
    }
}
