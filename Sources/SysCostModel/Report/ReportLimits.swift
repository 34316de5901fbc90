import Foundation

/// What a report may hold. Reports travel between people and CI, so a report is untrusted
/// input: every quantity that drives syscost's memory or time is bounded here, and a report
/// past a bound is refused with a message naming the field (exit 2), never crashed on or
/// waited for. `run` writes within them (it refuses, before measuring, rounds a report may
/// not hold), and every command stays within about 200 MB of memory on the largest report
/// they allow (a default run: 211 results of 40 rounds, 400 KB).
public enum ReportLimits {
    /// A report file's size (checked before it is read).
    public static let fileBytes = 64 << 20
    /// Results in one report.
    public static let results = 10_000
    /// Rounds of one result (and of the host canary), and in all of a report. Decoding costs
    /// about 60 bytes a round, so the report-wide bound is what keeps a reader's memory
    /// within about 150 MB.
    public static let samplesPerResult = 1_000_000
    public static let samplesPerReport = 2_000_000
    /// Entries of any other list or map: a result's warnings, figures, relations, counters; a
    /// report's patterns and mitigations.
    public static let entries = 1_024
    /// A per-call histogram's buckets.
    public static let buckets = 100_000
    /// Counters a run asked for (`config.counters`): every format gives each a column, and
    /// no PMU counts more than a few dozen at once.
    public static let counters = 128
    /// The largest magnitude of a figure (rounds, summaries, overheads): 1,000 s per op.
    public static let magnitude = 1e12
    /// Nesting and strings: see `JSONShape` (32 levels, 16 KiB).
    public static var depth: Int { JSONShape.maxDepth }
    public static var stringBytes: Int { JSONShape.maxStringBytes }

    /// Throws `invalidReport` naming the first field past its bound, or a benchmark id that
    /// appears twice.
    public static func check(_ report: RunReport) throws {
        try bound(report.results.count, results, "results")
        // What the figures count is one fact of the run: a unit that disagrees with the clock
        // (nanoseconds from an instruction clock, or the reverse) is a doctored report.
        let counted = report.environment.counted
        if let why = report.environment.instructionClock?.malformed { throw SysCostError.invalidReport("environment.instructionClock: \(why)") }
        if let r = report.results.first(where: { $0.unit.counted != counted }) {
            throw SysCostError.invalidReport("\(r.id) is in \(r.unit.rawValue) but the run's clock counted \(counted.noun)")
        }
        var total = 0
        var seen: [BenchmarkID: Int] = [:]
        for (i, r) in report.results.enumerated() {
            if let first = seen[r.id] {
                throw SysCostError.invalidReport("benchmark id '\(r.id)' appears twice (results[\(first)] and results[\(i)]): which one to compare is not known")
            }
            seen[r.id] = i
            try check(r, at: "results[\(i)] (\(r.id))")
            total += r.samples.count
        }
        if let canary = report.canary {
            try bound(canary.samples.count, samplesPerResult, "canary.samples")
            total += canary.samples.count
            try figures(canary.samples + [canary.nsPerOp, canary.ghz], "canary")
        }
        try bound(total, samplesPerReport, "rounds in all")
        try bound(report.config.patterns.count, entries, "config.patterns")
        try bound(report.config.counters?.count ?? 0, counters, "config.counters")
        try nonNegative(report.config.repetitions, "config.repetitions")
        guard (0...CPUList.maxCPU).contains(report.config.cpu) else {
            throw SysCostError.invalidReport("config.cpu: \(report.config.cpu) is not a CPU number (0 to \(CPUList.maxCPU))")
        }
        try check(report.environment)
    }

    /// One result's rounds, figures and lists.
    static func check(_ r: BenchmarkResult, at: String) throws {
        try bound(r.samples.count, samplesPerResult, "\(at).samples")
        try figures(r.samples, "\(at).samples")
        if let s = r.summary {
            // The same checks for every side of a comparison: a summary that counts other
            // rounds than the result has was not made from them.
            if let count = s.count, count != r.samples.count {
                throw SysCostError.invalidReport("\(at).summary.count: \(count), but the result has \(r.samples.count) rounds")
            }
            try figures([s.min, s.median, s.mean, s.stddev, s.p5, s.p95] + [s.ci95Low, s.ci95High, s.p10, s.p10CI95Low, s.p10CI95High].compactMap { $0 },
                        "\(at).summary")
            guard s.cv.magnitude <= magnitude else { throw SysCostError.invalidReport("\(at).summary.cv: \(s.cv) is out of range") }
        }
        try figures([r.overheadNs] + [r.tscCyclesPerOp, r.countingOverhead].compactMap { $0 }, at)
        try nonNegative(r.iterationsPerBatch, "\(at).iterationsPerBatch")
        try nonNegative(r.syscallsPerOp, "\(at).syscallsPerOp")
        try nonNegative(r.retakenBatches ?? 0, "\(at).retakenBatches")
        try bound(r.warnings.count, entries, "\(at).warnings")
        try bound(r.figures.count, entries, "\(at).figures")
        try bound(r.relations.count, entries, "\(at).relations")
        try bound(r.counters?.count ?? 0, entries, "\(at).counters")
        try bound(r.counterMetrics?.count ?? 0, entries, "\(at).counterMetrics")
        if let d = r.distribution {
            try bound(d.buckets.count, buckets, "\(at).distribution.buckets")
            try nonNegative(d.calls, "\(at).distribution.calls")
            guard d.buckets.allSatisfy({ $0.count >= 0 }) else {
                throw SysCostError.invalidReport("\(at).distribution.buckets: a negative count")
            }
            try figures([d.timerOverheadNs, d.tscStepNs, d.p50, d.p90, d.p99, d.p999, d.max] + d.buckets.map(\.upToNs),
                        "\(at).distribution")
        }
    }

    /// Where the run ran: CPU lists kept as ranges, and every list bounded.
    static func check(_ env: EnvironmentInfo) throws {
        try bound(env.vulnerabilities.count, entries, "environment.vulnerabilities")
        for (field, list) in [("environment.cpus.online", env.cpus.online), ("environment.cpus.allowed", env.cpus.allowed)] {
            guard CPUList.ranges(list) != nil else {
                throw SysCostError.invalidReport("\(field): '\(list.prefix(80))' is not a CPU list (ranges like 0-3,6 of CPUs 0 to \(CPUList.maxCPU), at most \(CPUList.maxRanges))")
            }
        }
        if let n = env.machine?.logicalCPUs { try nonNegative(n, "environment.machine.logicalCPUs") }
        try bound(env.tsc.flags.count, entries, "environment.tsc.flags")
        if let host = env.host {
            try bound(host.cpus.count, CPUList.maxCPU + 1, "environment.host.cpus")
            for (i, cpu) in host.cpus.enumerated() {
                try bound(cpu.runnable.count, entries, "environment.host.cpus[\(i)].runnable")
                try bound(cpu.siblings.count, entries, "environment.host.cpus[\(i)].siblings")
            }
        }
    }

    static func bound(_ count: Int, _ limit: Int, _ field: String) throws {
        guard count <= limit else {
            throw SysCostError.invalidReport("\(field): \(count) entries; a report may hold at most \(limit)")
        }
    }

    static func nonNegative(_ n: Int, _ field: String) throws {
        guard n >= 0 else { throw SysCostError.invalidReport("\(field): \(n) is negative") }
    }

    static func figures(_ xs: [Double], _ field: String) throws {
        guard let bad = xs.first(where: { !($0.magnitude <= magnitude) }) else { return }
        throw SysCostError.invalidReport("\(field): \(bad) is out of range (a figure is at most \(Int(magnitude)) in size)")
    }
}
