import Foundation
import SysCostModel
import SysCostStatistics

/// How much one benchmark's figure moves from run to run on one machine beyond what its rounds
/// show: the between-run term a comparison of one run a side cannot see in its own data.
///
/// A shared host runs in phases of seconds to minutes, and a whole run can sit in one, so the
/// rounds of a run are not independent of the host's phase: a bootstrap over them sees only the
/// within-run part. The between-run part is learned from several runs of the same machine and
/// kernel (saved runs, the watch's passes, `syscost calibrate`), one-way ANOVA style on
/// the log scale: the variance of the runs' estimates about their group's mean (runs of one
/// kernel, one seccomp setting and one set of boot options form a group), less the mean within-run variance (each run's
/// exact bootstrap variance), never below zero. Its degrees of freedom are the runs less the
/// groups: an interval that uses it takes Student's t with them, so it is 95 % only as far as the
/// runs behind it allow, and says how many there were.
public struct BetweenRunSpread: Codable, Equatable, Sendable {
    public static let schemaID = "syscost-spread/1"

    public struct Entry: Codable, Equatable, Sendable {
        public var id: BenchmarkID
        /// The between-run standard deviation of log(estimate).
        public var logSD: Double
        /// The mean within-run variance of log(estimate) over the runs behind it (what one run's
        /// rounds show, for planning).
        public var withinLogVariance: Double
        /// Runs behind it, and its degrees of freedom (runs less groups).
        public var runs: Int
        public var degreesOfFreedom: Int

        public init(id: BenchmarkID, logSD: Double, withinLogVariance: Double, runs: Int, degreesOfFreedom: Int) {
            self.id = id; self.logSD = logSD; self.withinLogVariance = withinLogVariance; self.runs = runs
            self.degreesOfFreedom = degreesOfFreedom
        }
    }

    public var schema: String
    public var machine: MachineKey
    /// The kernel releases of the runs behind it.
    public var kernels: [String]
    public var estimator: Estimator
    /// Runs behind it (complete runs; interrupted ones are left out).
    public var runs: Int
    /// When the oldest and newest of them started (ISO 8601), and when it was learned.
    public var firstRun: String
    public var lastRun: String
    public var learnedAt: String
    public var entries: [Entry]

    public init(schema: String, machine: MachineKey, kernels: [String], estimator: Estimator, runs: Int,
                firstRun: String, lastRun: String, learnedAt: String, entries: [Entry]) {
        self.schema = schema; self.machine = machine; self.kernels = kernels; self.estimator = estimator
        self.runs = runs; self.firstRun = firstRun; self.lastRun = lastRun; self.learnedAt = learnedAt
        self.entries = entries
    }

    /// The fewest runs in a group, and in all, before a spread is learned: two runs give one
    /// degree of freedom, whose t quantile (12.7) makes any interval useless.
    public static let minimumRuns = 3

    public func entry(_ id: BenchmarkID) -> Entry? { entries.first { $0.id == id } }

    /// The entries by id, for a lookup per row of a long table.
    public var byID: [BenchmarkID: Entry] { Dictionary(entries.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }) }

    /// What the output says of it: "learned from 10 runs of vm on 6.18.44 (23:49–23:55), 2 h old".
    public func source(now: Date = Date()) -> String {
        let age = ISO8601DateFormatter().date(from: learnedAt).map { now.timeIntervalSince($0) }
        return "learned from \(runs) runs of \(machine) on \(kernels.joined(separator: ", ")) (\(firstRun) to \(lastRun))"
            + (age.map { ", \(Self.describe(age: $0)) old" } ?? "")
    }

    static func describe(age seconds: Double) -> String {
        let s = max(0, seconds)
        if s < 120 { return "\(Int(s)) s" }
        if s < 7200 { return "\(Int(s / 60)) min" }
        if s < 172_800 { return "\(Int(s / 3600)) h" }
        return "\(Int(s / 86_400)) days"
    }

    /// The spread of `runs` (one machine's), per benchmark that at least `minimumRuns` of them
    /// measured in groups that leave it a degree of freedom or more; nil when none does.
    /// Interrupted runs and runs of another machine than the first are left out.
    public static func learn(from runs: [RunTimings], estimator: Estimator = .undisturbed, now: Date = Date()) -> BetweenRunSpread? {
        guard let first = runs.first(where: { !$0.interrupted }) else { return nil }
        let machine = first.environment.fingerprint
        let usable = runs.filter { !$0.interrupted && machine.differences(from: $0.environment.fingerprint).isEmpty }
        guard usable.count >= minimumRuns else { return nil }
        // Runs that differ in what moves every figure (kernel, a whole-run seccomp filter) are
        // groups: only their deviations from their own group's mean are between-run noise.
        // Boot options a user chose (kernel-matrix.sh --cmdline: mitigations=off) are a group too.
        func group(_ r: RunTimings) -> String {
            ([r.environment.kernel.release, r.environment.seccomp.installed?.spec ?? ""] + r.environment.kernel.bootOptions).joined(separator: "\u{0}")
        }
        var ids: [BenchmarkID] = []
        var seen = Set<BenchmarkID>()
        for run in usable { for r in run.results where !r.samples.isEmpty && seen.insert(r.id).inserted { ids.append(r.id) } }
        let byRun = usable.map { run in Dictionary(run.results.map { ($0.id, $0.samples) }, uniquingKeysWith: { a, _ in a }) }
        var entries: [Entry] = []
        for id in ids {
            var groups: [String: [BetweenRunVariance.Run]] = [:]
            for (run, results) in zip(usable, byRun) {
                guard let samples = results[id], !samples.isEmpty else { continue }
                let sorted = samples.sorted()
                let value = estimator.value(sorted: sorted)
                guard value > 0, value.isFinite, let m = QuantileBootstrap.logMoments(sorted: sorted, quantile: estimator.quantile),
                      m.standardDeviation.isFinite else { continue }
                groups[group(run), default: []].append(.init(log: log(value), within: m.standardDeviation * m.standardDeviation))
            }
            let members = groups.values.reduce(0) { $0 + $1.count }
            guard members >= minimumRuns, let (between, df, within) = BetweenRunVariance.estimate(Array(groups.values)),
                  df >= minimumRuns - 1 else { continue }
            entries.append(Entry(id: id, logSD: between.squareRoot(), withinLogVariance: within, runs: members, degreesOfFreedom: df))
        }
        guard !entries.isEmpty else { return nil }
        let times = usable.map(\.startedAt).sorted()
        let kernels = usable.map(\.environment.kernel.release).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        return BetweenRunSpread(schema: schemaID, machine: machine.key, kernels: kernels, estimator: estimator, runs: usable.count,
                                firstRun: times.first ?? "", lastRun: times.last ?? "",
                                learnedAt: ISO8601DateFormatter().string(from: now), entries: entries)
    }

    /// Checks a spread read from a file: its schema, and figures a spread can have.
    public func validated(_ name: String) throws -> BetweenRunSpread {
        func bad(_ why: String) -> SysCostError { .invalidReport("\(name): \(why)") }
        guard schema == Self.schemaID else { throw bad("schema '\(schema)', expected \(Self.schemaID)") }
        guard runs >= Self.minimumRuns, runs <= ReportLimits.results * 100 else { throw bad("runs: \(runs) is out of range") }
        guard entries.count <= ReportLimits.results else { throw bad("\(entries.count) entries; at most \(ReportLimits.results)") }
        for (i, e) in entries.enumerated() {
            guard e.logSD.isFinite, e.logSD >= 0, e.logSD < 10 else { throw bad("entries[\(i)].logSD: \(e.logSD) is not a spread") }
            guard e.withinLogVariance.isFinite, e.withinLogVariance >= 0, e.withinLogVariance < 100 else {
                throw bad("entries[\(i)].withinLogVariance: \(e.withinLogVariance) is not a variance")
            }
            guard e.runs >= Self.minimumRuns, e.runs <= runs, e.degreesOfFreedom >= 1, e.degreesOfFreedom < e.runs else {
                throw bad("entries[\(i)]: \(e.runs) runs with \(e.degreesOfFreedom) degrees of freedom do not fit \(runs) runs")
            }
        }
        return self
    }
}
