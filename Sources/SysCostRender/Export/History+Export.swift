import Foundation
import SysCostAnalysis
import SysCostModel
import SysCostSuites

/// `syscost history`'s document: one history per machine.
public struct HistoryDocument: Exportable {
    public var histories: [History]
    public init(_ histories: [History]) { self.histories = histories }

    public static let formats: [OutputFormat] = [.table, .markdown, .csv, .json, .html]

    /// `options.width` is what a line may take before a text table turns to one block per
    /// benchmark with the runs as rows.
    public func export(as format: OutputFormat, _ options: ExportOptions) throws -> String {
        switch format {
        case .json: return try PrettyJSON.string(histories)
        case .openmetrics, .bmf, .githubActionBenchmark, .googleBenchmark: throw UnsupportedFormat(format: format, document: "a history")
        case .html: return HTMLReport.history(histories)
        case .csv: return histories.map(HistoryText.csv).joined(separator: "\n")
        case .table, .markdown:
            let markdown = format == .markdown
            return Escape.terminal(histories.map { h in
                let title = HistoryText.machineLine(h)
                let body = HistoryText.text(h, markdown: markdown, width: options.width)
                return (markdown ? "### " + MarkdownRenderer.cell(title) : title) + "\n\n" + body
            }.joined(separator: "\n"), keepingNewlines: true)
        }
    }
}

/// A history's parts as text, Markdown and CSV (the HTML page reads them too).
enum HistoryText {
    /// "Machine vm-1a2b3c4d: AMD EPYC, 2 CPUs, KVMKVMKVM, 3 runs".
    static func machineLine(_ h: History) -> String {
        let f = h.fingerprint
        return "Machine \(h.machine): \(f.cpuModelName)\(f.logicalCPUs.map { ", \($0) CPUs" } ?? ""), hypervisor \(f.hypervisor)"
            + (f.instructionClock.map { ", \($0): figures are guest instructions per op, not time" } ?? (f.emulated ? ", emulated CPU" : ""))
            + ", \(h.runs.count) run\(h.runs.count == 1 ? "" : "s")"
    }

    /// A run's column heading: kernel release, then its start time (and "emulated", or
    /// "icount" for an instruction count, with the boot options a user chose).
    static func headings(_ run: History.Run) -> (String, String) {
        let time = String(run.startedAt.prefix(16)).replacingOccurrences(of: "T", with: " ")
        return (run.kernel, time + (run.instructions ? " icount" : run.emulated ? " emulated" : "")
                    + run.bootOptions.map { " " + $0 }.joined() + (run.seccomp.map { " seccomp=\($0)" } ?? "")
                    + (run.interrupted ? " interrupted" : ""))
    }

    /// A cell: its figure, then its change from the base (to 0.01% for instruction counts,
    /// whose changes matter from 0.1%).
    static func cell(_ c: History.Cell?, precise: Bool = false) -> String {
        guard let c else { return "-" }
        guard let change = c.change else { return Format.ns(c.value) }
        return Format.ns(c.value) + " " + String(format: precise ? "%+.2f%%" : "%+.1f%%", change * 100) + History.mark(c.verdict)
    }

    static func legend(_ h: History) -> [String] {
        var lines = [String(format: "first column: the base; each cell: the %@ of the run's rounds; others add the change from the base, * regression or improvement (its %g%% bootstrap interval excludes no change, beyond %g%%), ? inconclusive (the smallest change it could see is above %g%%)",
                            h.estimator.label, (1 - h.alpha) * 100, h.threshold * 100, h.threshold * 100)]
        let varying = h.rows.filter { Suites.variesBetweenRuns($0.id) != nil }
        if !varying.isEmpty && h.runs.count > 1 {
            lines.append("varies by run: \(varying.count) row(s) (\(Comparison.sample(varying.map(\.id)))) move between runs by more than their rounds show; one run against one run cannot judge them, so they stay ? here (`syscost compare` with several runs a side can)")
        }
        if h.rows.contains(where: { $0.threshold != h.threshold }) {
            lines.append("thresholds: from the thresholds file, per benchmark; \(String(format: "%g", h.threshold * 100))% where no rule matches")
        }
        if h.runs.contains(where: \.interrupted) {
            lines.append("interrupted: a signal stopped that run early: its cells show the change, never a verdict, and it is never the base")
        }
        if let clock = h.fingerprint.instructionClock {
            lines.append("icount: every figure is guest instructions per op under \(clock) (one virtual nanosecond an instruction), the same on any host that emulates it; judged against the spread the boots of each kernel show, learned from these runs; instruction counts price no instruction: a CR3 or MSR write counts as one")
        } else if h.runs.contains(where: \.emulated) {
            lines.append("emulated: the run's CPU was emulated (QEMU TCG): its timings are not the hardware's; emulated runs are compared only with the first emulated run, hardware runs only with the first hardware run")
        }
        return lines
    }

    static func text(_ h: History, markdown: Bool, width: Int) -> String {
        let top = ["benchmark"] + h.runs.map { headings($0).0 }
        let second = [""] + h.runs.map { headings($0).1 }
        let precise = h.fingerprint.instructionClock != nil
        let rows = h.rows.map { [$0.id.description] + $0.cells.map { cell($0, precise: precise) } }
        var out = ""
        let wide = TextRenderer.align([top, second] + rows, rightAligned: []).split(separator: "\n").map { Escape.width(String($0)) }.max() ?? 0
        if !markdown && wide > width {
            // Too wide for a line: one block per benchmark, a line per run.
            for row in h.rows {
                out += row.id.description + " (\(row.unit.rawValue))\n"
                let lines = zip(h.runs, row.cells).compactMap { run, c -> [String]? in
                    c.map { _ in ["  " + headings(run).0, headings(run).1, cell(c, precise: precise)] }
                }
                out += lines.isEmpty ? "  no figure in any run\n" : TextRenderer.align(lines, rightAligned: [2]) + "\n"
            }
            return out + "\n" + legend(h).map { "\($0)\n" }.joined()
        }
        if markdown {
            let cell = MarkdownRenderer.cell
            out += "| " + top.map(cell).joined(separator: " | ") + " |\n|---|" + String(repeating: "--:|", count: h.runs.count) + "\n"
            out += "| " + second.map(cell).joined(separator: " | ") + " |\n"
            out += rows.map { "| \(MarkdownRenderer.code($0[0])) | " + $0.dropFirst().map(cell).joined(separator: " | ") + " |\n" }.joined()
            out += "\n" + legend(h).map { "- \(cell($0))\n" }.joined()
        } else {
            out += TextRenderer.align([top, second] + rows, rightAligned: Set(1..<top.count)) + "\n\n"
            out += legend(h).map { "\($0)\n" }.joined()
        }
        return out
    }

    static func csv(_ h: History) -> String {
        var lines = [(["id", "unit"] + h.runs.flatMap { run -> [String] in
            let name = "\(run.kernel)@\(run.startedAt)"
            return ["\(name) \(h.estimator.rawValue)", "\(name) change", "\(name) verdict"]
        }).map(CSVRenderer.quote).joined(separator: ",")]
        for row in h.rows {
            let fields = [row.id.description, row.unit.rawValue] + row.cells.flatMap { c -> [String] in
                guard let c else { return ["", "", ""] }
                return [String(format: "%.4f", c.value), c.change.map { String(format: "%.6f", $0) } ?? "", c.verdict?.rawValue ?? ""]
            }
            lines.append(fields.map(CSVRenderer.quote).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
