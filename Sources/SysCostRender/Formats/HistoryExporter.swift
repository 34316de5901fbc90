import Foundation
import SysCostAnalysis
import SysCostModel

/// `syscost history`'s output: table, markdown, csv, json or html.
public enum HistoryFormat: String, CaseIterable, Sendable {
    case table, markdown, csv, json, html

    public func export(_ h: History) throws -> String {
        switch self {
        case .json:
            return try PrettyJSON.string(h)
        case .csv: return Self.csv(h)
        case .table, .markdown: return Self.text(h, markdown: self == .markdown)
        case .html: return HTMLReport.history(h)
        }
    }

    /// A run's column heading: kernel release, then its start time (and "emulated").
    static func headings(_ run: History.Run) -> (String, String) {
        let time = String(run.startedAt.prefix(16)).replacingOccurrences(of: "T", with: " ")
        return (run.kernel, time + (run.emulated ? " emulated" : "") + (run.seccomp.map { " seccomp=\($0)" } ?? ""))
    }

    static func cell(_ c: History.Cell?) -> String {
        guard let c else { return "-" }
        guard let change = c.change else { return Format.ns(c.median) }
        return Format.ns(c.median) + " " + String(format: "%+.1f%%", change * 100) + History.mark(c.verdict)
    }

    static func legend(_ h: History) -> [String] {
        var lines = [String(format: "first column: the base; others: median, change from the base, * significant (p < %g, beyond %g%%, bootstrap interval clear of 2× the CV), ? too noisy to tell",
                            h.alpha, h.threshold * 100)]
        if h.runs.contains(where: \.emulated) {
            lines.append("emulated: the run's CPU was emulated (QEMU TCG): its timings are not the hardware's; emulated runs are compared only with the first emulated run, hardware runs only with the first hardware run")
        }
        return lines
    }

    static func text(_ h: History, markdown: Bool) -> String {
        let top = ["benchmark"] + h.runs.map { headings($0).0 }
        let second = [""] + h.runs.map { headings($0).1 }
        let rows = h.rows.map { [$0.id.description] + $0.cells.map(cell) }
        var out = ""
        if markdown {
            out += "| " + top.joined(separator: " | ") + " |\n|---|" + String(repeating: "--:|", count: h.runs.count) + "\n"
            out += "| " + second.joined(separator: " | ") + " |\n"
            out += rows.map { "| `\($0[0])` | " + $0.dropFirst().joined(separator: " | ") + " |\n" }.joined()
            out += "\n" + legend(h).map { "- \($0)\n" }.joined()
        } else {
            out += TextRenderer.align([top, second] + rows, rightAligned: Set(1..<top.count)) + "\n\n"
            out += legend(h).map { "\($0)\n" }.joined()
        }
        return out
    }

    static func csv(_ h: History) -> String {
        var lines = [(["id", "unit"] + h.runs.flatMap { run -> [String] in
            let name = "\(run.kernel)@\(run.startedAt)"
            return ["\(name) median", "\(name) change", "\(name) verdict"]
        }).map(CSVRenderer.quote).joined(separator: ",")]
        for row in h.rows {
            let fields = [row.id.description, row.unit.rawValue] + row.cells.flatMap { c -> [String] in
                guard let c else { return ["", "", ""] }
                return [String(format: "%.4f", c.median), c.change.map { String(format: "%.6f", $0) } ?? "", c.verdict?.rawValue ?? ""]
            }
            lines.append(fields.map(CSVRenderer.quote).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
