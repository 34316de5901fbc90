import Foundation
import SysCostModel
import SysCostSuites
import SysCostStatistics

/// A run as sections every renderer shows: the results, per-call latencies, what each suite
/// derives, the counters, and how it was measured.
public struct RunDocument: Sendable {
    /// The figures people run syscost for, each with its interval: first on a terminal.
    public var headline: ReportSection?
    /// One row per result, every column.
    public var results: Table
    /// The same rows as a terminal shows them: the columns that change a reader's mind, and no
    /// flag that every result carries (`commonFlags` says those once).
    public var compactResults: Table
    /// Warnings every measured result carries (with at least two results).
    public var commonFlags: [Warning.Kind]
    /// Per-call percentiles, when the run timed single calls.
    public var latency: ReportSection?
    /// The suites' sections, then the counters' (laid out as `perf stat` does).
    public var sections: [ReportSection]
    /// How it was measured, the flags explained, failures.
    public var notes: [String]

    public init(_ report: RunReport) {
        headline = Suites.headline(of: report)
        results = Self.resultsTable(report)
        commonFlags = Self.commonFlags(report)
        compactResults = Self.compactTable(report, leavingOut: commonFlags)
        latency = Self.latency(report)
        sections = Suites.sections(of: report) + [Self.knobSection(report), CounterLayout.section(report)].compactMap { $0 }
        notes = Self.notes(report)
    }

    static func resultsTable(_ report: RunReport) -> Table {
        let u = report.environment.counted.word
        let rows = report.results.map { r -> [String] in
            let s = r.summary
            return [r.id.description, r.status == .failed ? "FAILED" : r.status == .skipped ? "skipped" : Format.ns(s?.median),
                    Format.ci(s), Format.ns(s?.p10), Format.undisturbedCI(s), Format.cv(s), Format.ns(s?.min), Format.ns(s?.p95),
                    r.tscCyclesPerOp.map { String(format: "%.0f", $0) } ?? "-", flags(r).joined(separator: ",")]
        }
        return Table(header: ["benchmark", "median \(u)", "95% CI", "p10 \(u)", "95% CI", "CV", "min", "p95", "TSC cyc", "flags"],
                     rows: rows, numericColumns: Set(1...8))
    }

    /// Kinds of warning on every measured result.
    static func commonFlags(_ report: RunReport) -> [Warning.Kind] {
        let measured = report.results.filter { $0.summary != nil }
        guard measured.count >= 2 else { return [] }
        return Warning.Kind.allCases.filter { kind in measured.allSatisfy { r in r.warnings.contains { $0.kind == kind } } }
    }

    /// benchmark, the undisturbed cost and its interval, the median, the CV, the flags.
    static func compactTable(_ report: RunReport, leavingOut common: [Warning.Kind]) -> Table {
        let rows = report.results.map { r -> [String] in
            let s = r.summary
            let status = r.status == .failed ? "FAILED" : r.status == .skipped ? "skipped" : nil
            return [r.id.description, status ?? Format.ns(s?.p10 ?? r.undisturbed), Format.undisturbedCI(s), Format.ns(s?.median),
                    Format.cv(s), flags(r).filter { tag in !common.contains { $0.rawValue == tag } }.joined(separator: ",")]
        }
        return Table(header: ["benchmark", "p10 \(report.environment.counted.word)", "95% CI", "median", "CV", "flags"], rows: rows, numericColumns: Set(1...4))
    }

    static func latency(_ report: RunReport) -> ReportSection? {
        let measured = report.results.compactMap { r in r.distribution.map { (r, $0) } }
        guard let d0 = measured.first?.1 else { return nil }
        let u = report.environment.counted.word
        let rows = measured.map { r, d -> [String] in
            [r.id.description] + [d.p50, d.p90, d.p99, d.p999, d.max].map { Format.ns($0) }
        }
        return ReportSection(
            title: String(format: "Per-call latency, \(u) (%d calls each, timed pair of %.1f \(u) subtracted, TSC step %.1f \(u))",
                          d0.calls, d0.timerOverheadNs, d0.tscStepNs),
            table: Table(header: ["benchmark", "p50", "p90", "p99", "p99.9", "max"], rows: rows))
    }

    /// An in-run A/B (`--seccomp`, `--speculation`): what the knob adds to each benchmark,
    /// measured against none in the same rounds.
    static func knobSection(_ report: RunReport) -> ReportSection? {
        guard let knob = report.config.ab else { return nil }
        let measured = report.results.compactMap { r in r.knobCost.map { (r, $0) } }
        let rows = measured.map { r, added -> [String] in
            [r.id.description, Format.ns(r.undisturbed), Format.ns(r.undisturbed.map { $0 + added.value }),
                    added.differenceText(unit: r.unit.counted.word, negative: "none: it saves"), r.unit.rawValue]
        }
        let left = report.results.filter { $0.knobCost == nil && $0.summary != nil }.count
        var notes: [String] = []
        if left > 0 {
            notes.append(knob.isSeccomp
                ? "\(left) benchmark(s) not measured with the filter: ping-pongs and benchmarks with per-batch steps cannot run in the twin"
                : "\(left) benchmark(s) have no pair of batches (a batch with the control off failed)")
        }
        return ReportSection(
            title: "What the \(knob) adds (in-run A/B: \(knob.method))",
            table: Table(header: ["benchmark", "without (p10)", "with (p10)", "it adds", "unit"], rows: rows), notes: notes)
    }

    /// Short tags for a result's warnings.
    public static func flags(_ r: BenchmarkResult) -> [String] {
        var seen: [String] = []
        for w in r.warnings where !seen.contains(w.kind.rawValue) { seen.append(w.kind.rawValue) }
        return seen
    }

    static func notes(_ report: RunReport) -> [String] {
        var lines: [String] = []
        let c = report.config, env = report.environment
        let batches = "≥\(String(format: "%g", c.minBatchTimeMs)) ms batches"
        let rounds = c.timeBudgetSeconds.map { budget in
            batches + String(format: " in rounds until each median was within ±%g%% or %g s had passed,", (c.targetPrecision ?? 0) * 100, budget)
        } ?? c.minimumSpanSeconds.map { span in
            let taken = report.results.map(\.samples.count).max() ?? c.repetitions
            return "\(taken) rounds (at least \(c.repetitions), spread over at least \(String(format: "%g", span)) s) of " + batches
        } ?? "\(c.repetitions) repetitions of " + batches
        var how = "CPU \(c.cpu), \(rounds) after a \(String(format: "%g", c.warmupMs)) ms warm-up"
        how += c.interleave ? (c.seed.map { ", interleaved in random order (seed \($0))" } ?? ", interleaved") : ", one benchmark at a time"
        if let hz = env.tsc.frequencyHz { how += String(format: ", TSC %.3f GHz", hz / 1e9) }
        if let overhead = report.results.first?.overheadNs {
            how += String(format: "; empty-loop overhead %.2f \(env.counted.word)/op subtracted", overhead)
        }
        lines.append(how)
        if let clock = env.instructionClock {
            lines.append("figures are guest instructions per op, not time: \(clock.machineName), whose clock advances one virtual nanosecond a guest "
                + "instruction (-icount shift=\(clock.shift)), so they are exact and the same on any host; they price no instruction "
                + "(a CR3 or MSR write counts as one)" + (env.machine?.emulatingHost.map { "; emulated by \($0)" } ?? ""))
        }
        lines.append("kernel \(env.kernel.release), \(env.cpu.modelName), clocksource \(env.clocksource ?? "?")")
        lines.append("p10 = the undisturbed cost (noise only adds time: the 10th percentile of the rounds); the sections above give it, and their differences and ratios come from a bootstrap that resamples whole rounds, so a phase the host spent slow cancels")
        let flagged = report.results.filter { !$0.warnings.isEmpty }
        if !flagged.isEmpty {
            var kinds: [Warning.Kind] = []
            for r in flagged { for w in r.warnings where !kinds.contains(w.kind) { kinds.append(w.kind) } }
            lines.append("\(flagged.count) result(s) flagged: " + kinds.map(\.explanation).joined(separator: "; ")
                         + " (the JSON report has each warning)")
        }
        for r in report.results {
            if let e = r.error { lines.append("\(r.status == .skipped ? "skipped" : "failed"): \(r.id): \(e)") }
        }
        if report.interrupted { lines.append("interrupted: results hold the repetitions taken before the signal") }
        return lines
    }
}
