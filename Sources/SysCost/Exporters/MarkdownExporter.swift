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
        let entry = KernelEntrySection.lines(for: report)
        if !entry.isEmpty {
            out += "\n### \(KernelEntrySection.title)\n\n" + entry.map { "- \($0)\n" }.joined()
        }
        if let indirect = IndirectSection.rows(for: report) {
            out += "\n### \(IndirectSection.title)\n\n| " + indirect.header.joined(separator: " | ") + " |\n|"
            out += String(repeating: "--:|", count: indirect.header.count) + "\n"
            out += indirect.rows.map { "| " + $0.joined(separator: " | ") + " |\n" }.joined()
        }
        out += "\n" + Notes.lines(for: report).map { "- \($0)\n" }.joined()
        return out
    }
}
