import Foundation

/// The human table printed to a terminal: one row per result, then warnings and failures.
public struct TableExporter: ReportExporter {
    public init() {}

    public func export(_ report: RunReport) throws -> String {
        let header = ["benchmark", "median ns", "95% CI", "CV", "min", "p95", "TSC cyc", "flags"]
        let rows = report.results.map { r -> [String] in
            let s = r.summary
            return [r.id, r.status == .failed ? "FAILED" : r.status == .skipped ? "skipped" : Format.ns(s?.median), Format.ci(s), Format.percent(s?.cv),
                    Format.ns(s?.min), Format.ns(s?.p95), r.tscCyclesPerOp.map { String(format: "%.0f", $0) } ?? "-",
                    Notes.flags(r).joined(separator: ",")]
        }
        var out = Self.align([header] + rows, rightAligned: Set(1..<header.count - 1)) + "\n"
        let distributions = report.results.filter { $0.distribution != nil }
        if !distributions.isEmpty {
            let d0 = distributions[0].distribution!
            out += String(format: "\nPer-call latency, ns (%d calls each, timed pair of %.1f ns subtracted, TSC step %.1f ns)\n",
                          d0.calls, d0.timerOverheadNs, d0.tscStepNs)
            let head = ["benchmark", "p50", "p90", "p99", "p99.9", "max"]
            let rows = distributions.map { r -> [String] in
                let d = r.distribution!
                return [r.id] + [d.p50, d.p90, d.p99, d.p999, d.max].map { Format.ns($0) }
            }
            out += Self.align([head] + rows, rightAligned: Set(1..<head.count)) + "\n"
        }
        for (title, lines) in [(SwitchSection.title, SwitchSection.lines(for: report)),
                               (KernelEntrySection.title, KernelEntrySection.lines(for: report))] where !lines.isEmpty {
            out += "\n\(title)\n" + lines.map { "  \($0)\n" }.joined()
        }
        if let sweep = WorkingSetSection.rows(for: report) {
            out += "\n\(WorkingSetSection.title)\n"
            out += Self.align([sweep.header] + sweep.rows, rightAligned: Set(1..<sweep.header.count)) + "\n"
        }
        if let indirect = IndirectSection.rows(for: report) {
            out += "\n\(IndirectSection.title)\n"
            out += Self.align([indirect.header] + indirect.rows, rightAligned: Set(1..<indirect.header.count)) + "\n"
        }
        if let counters = CounterSection.table(for: report) {
            out += "\n\(CounterSection.title)\n"
            out += Self.align([counters.header] + counters.rows, rightAligned: Set(1..<counters.header.count)) + "\n"
            out += counters.notes.map { "  \($0)\n" }.joined()
        }
        out += "\n"
        out += Notes.lines(for: report).map { $0 + "\n" }.joined()
        return out
    }

    static func align(_ rows: [[String]], rightAligned: Set<Int>) -> String {
        let widths = rows[0].indices.map { col in rows.map { $0[col].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { col, cell in
                let pad = String(repeating: " ", count: widths[col] - cell.count)
                return rightAligned.contains(col) ? pad + cell : cell + pad
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }.joined(separator: "\n")
    }
}

/// The lines under a table: how it was measured, warnings, failures.
enum Notes {
    /// Short tags for a result's warnings.
    static func flags(_ r: BenchmarkResult) -> [String] {
        r.warnings.map { String($0.prefix { $0 != ":" }) }
    }

    static func lines(for report: RunReport) -> [String] {
        var lines: [String] = []
        let c = report.config, env = report.environment
        var how = "CPU \(c.cpu), \(c.repetitions) repetitions of ≥\(String(format: "%g", c.minBatchTimeMs)) ms batches after a \(String(format: "%g", c.warmupMs)) ms warm-up"
        how += c.interleave ? ", interleaved" : ", one benchmark at a time"
        if let hz = env.tsc.frequencyHz { how += String(format: ", TSC %.3f GHz", hz / 1e9) }
        if let overhead = report.results.first?.overheadNs {
            how += String(format: "; empty-loop overhead %.2f ns/op subtracted", overhead)
        }
        lines.append(how)
        lines.append("kernel \(env.kernel.release), \(env.cpu.modelName), clocksource \(env.clocksource ?? "?")")
        let flagged = report.results.filter { !flags($0).isEmpty }.count
        if flagged > 0 {
            lines.append("\(flagged) result(s) flagged: noisy = CV above 5%, outliers = over 10% of samples beyond 3 MADs (and 1%) "
                         + "of the median, interrupted = fewer repetitions than asked (the JSON report has each warning)")
        }
        for r in report.results {
            if let e = r.error { lines.append("\(r.status == .skipped ? "skipped" : "failed"): \(r.id): \(e)") }
        }
        if report.interrupted { lines.append("interrupted: results hold the repetitions taken before the signal") }
        return lines
    }
}
