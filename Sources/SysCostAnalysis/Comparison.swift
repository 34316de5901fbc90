import Foundation
import SysCostModel
import SysCostSuites
import SysCostStatistics

/// Runs compared benchmark by benchmark: one run or several a side (`compare A1 A2 -- B1 B2`).
/// Each row reads an estimator (the undisturbed cost by default) from each side's rounds, gives
/// the ratio with a hierarchical bootstrap interval (runs, then rounds within runs), the
/// minimum detectable effect that interval allows, and a verdict that carries it.
public struct Comparison: Codable, Equatable, Sendable {
    public enum Verdict: String, Codable, Sendable {
        /// Slower: the interval excludes no change, and the change exceeds the threshold and
        /// the host's own shift.
        case regression
        /// Faster, by the same rule.
        case improvement
        /// No change beyond the threshold, and the comparison could have seen one: its MDE is
        /// within the threshold.
        case unchanged
        /// Too noisy to tell: a change of the threshold's size could hide in it (MDE > threshold).
        case inconclusive
    }

    public struct Row: Codable, Equatable, Sendable {
        public var id: BenchmarkID
        public var unit: FigureUnit
        /// The estimator's figure over each side's pooled rounds.
        public var baseValue: Double
        public var newValue: Double
        /// newValue / baseValue (> 1: slower).
        public var ratio: Double
        public var ratioCI95Low: Double?
        public var ratioCI95High: Double?
        /// The smallest change (a fraction, either way) this row would call significant with
        /// the chosen power: (z(1 − alpha/2) + z(power)) × the bootstrap's standard error of
        /// the log ratio, and never less than the host canary's own shift. Nil without an
        /// interval.
        public var mde: Double?
        public var baseCV: Double
        public var newCV: Double
        /// Rounds a side.
        public var baseRounds: Int
        public var newRounds: Int
        /// The threshold this row was judged against (a fraction).
        public var threshold: Double
        /// Nil when no verdict may be given (`Comparison.noVerdicts` says why).
        public var verdict: Verdict?
        /// Environment differences that can move this figure (their fields).
        public var explainedBy: [String] = []
        /// The change is no larger than what no run can attribute (the host canary's own shift,
        /// or one cycle per op): it is no regression or improvement.
        public var withinFloor = false
        /// Why this figure moves between runs by more than its rounds show (its suite says);
        /// with one run on a side it then has no MDE and is inconclusive.
        public var variesBetweenRuns: String?
    }

    /// How each side is named (a file, or "A1 + A2" for several).
    public var base: String
    public var new: String
    /// Runs a side.
    public var baseRuns: Int
    public var newRuns: Int
    /// The figure judged.
    public var estimator: Estimator
    /// The default threshold (a fraction); rows carry their own.
    public var threshold: Double
    public var alpha: Double
    /// The power the MDE is given at.
    public var power: Double
    /// The two runs' machines, and where they differ (empty: one machine).
    public var baseMachine: MachineKey
    public var newMachine: MachineKey
    public var machineDifferences: [EnvironmentDifference]
    /// Why no row has a verdict (different machines, an interrupted run), if so.
    public var noVerdicts: String?
    /// The names of the runs a signal stopped early.
    public var interrupted: [String]
    /// The host canary's median in NEW over BASE (> 1: the host itself ran slower in NEW); nil
    /// when a run has no canary (reports from before it).
    public var hostShift: Double?
    public var environment: [EnvironmentDifference]
    public var rows: [Row]
    public var onlyInBase: [BenchmarkID]
    public var onlyInNew: [BenchmarkID]
    /// In both runs but without samples in one (failed, skipped): id → why.
    public var notCompared: [BenchmarkID: String]
    /// A run's timings came from an emulated CPU (TCG): they are not the hardware's.
    public var emulated: [String]
    /// Why this comparison cannot pass a gate (empty: it can): see `Incompleteness`.
    public var incomplete: [Incompleteness] = []

    /// The kernel release of each side (its first run's); nil in comparisons saved before.
    public var baseKernel: String?
    public var newKernel: String?
    public var regressions: [Row] { rows.filter { $0.verdict == .regression } }

    /// The median of the rows' MDEs (nil with none).
    public var medianMDE: Double? {
        let mdes = rows.compactMap(\.mde)
        return mdes.isEmpty ? nil : Statistics.median(mdes)
    }

    /// How much two runs may be compared.
    public enum Scope: Sendable {
        /// One machine, one kind of CPU: verdicts.
        case sameMachine
        /// Ratios only, whatever the machines (`--across-machines`).
        case acrossMachines
    }

    public static let defaultThreshold = 0.05
    public static let defaultAlpha = 0.05
    public static let defaultPower = 0.8

    /// A side of a comparison: one run or several, and how to name it.
    public struct Side: Sendable {
        public var name: String
        public var runs: [RunReport]
        public init(_ name: String, _ runs: [RunReport]) { self.name = name; self.runs = runs }
        public init(_ name: String, _ run: RunReport) { self.init(name, [run]) }
    }

    /// Compares `new` against `base`, one run a side.
    public static func compare(base: RunReport, new: RunReport, baseName: String = "BASE", newName: String = "NEW",
                               thresholds: Thresholds = Thresholds(default: defaultThreshold * 100),
                               alpha: Double = defaultAlpha, power: Double = defaultPower, estimator: Estimator = .undisturbed,
                               scope: Scope = .sameMachine, allowMissing: Bool = false) throws -> Comparison {
        try compare(Side(baseName, base), Side(newName, new), thresholds: thresholds, alpha: alpha, power: power,
                    estimator: estimator, scope: scope, allowMissing: allowMissing)
    }

    /// Compares side `new` against side `base`. Runs of different machines (or hardware
    /// against an emulated CPU), within a side or across, are refused as bad input naming what
    /// differs, unless `scope` is `.acrossMachines`, which gives ratios without verdicts. What
    /// keeps the comparison from passing a gate (an interrupted or failed run, a benchmark the
    /// new side lacks unless `allowMissing`, nothing compared) is in `incomplete`.
    public static func compare(_ base: Side, _ new: Side, thresholds: Thresholds = Thresholds(default: defaultThreshold * 100),
                               alpha: Double = defaultAlpha, power: Double = defaultPower, estimator: Estimator = .undisturbed,
                               scope: Scope = .sameMachine, allowMissing: Bool = false) throws -> Comparison {
        precondition(!base.runs.isEmpty && !new.runs.isEmpty, "a side without runs")
        let first = base.runs[0]
        var machines: [EnvironmentDifference] = []
        for run in base.runs.dropFirst() + new.runs {
            for d in first.environment.fingerprint.differences(from: run.environment.fingerprint) where !machines.contains(d) {
                machines.append(d)
            }
        }
        if !machines.isEmpty && scope == .sameMachine {
            throw SysCostError.usage("""
                the runs of \(base.name) and \(new.name) are not all of one machine (\(machines.map { "\($0.field): \($0.base) → \($0.new)" }.joined(separator: "; "))): \
                their figures differ for that alone, so they get no verdicts; --across-machines shows the ratios
                """)
        }
        // An id is compared when every run of both sides has it.
        let sides = [base, new].map { side in side.runs.map { run in Dictionary(run.results.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }) } }
        let inBase = Set(sides[0].flatMap(\.keys)), inNew = Set(sides[1].flatMap(\.keys))
        let common = first.results.map(\.id).filter { id in sides.allSatisfy { $0.allSatisfy { $0[id] != nil } } }
        let environment = EnvironmentDifference.between(first.environment, new.runs[0].environment)
        // The host's own change of speed: the canaries' pooled medians, new over base.
        let canaries = [base, new].map { side in side.runs.compactMap { $0.canary?.samples }.flatMap { $0 } }
        // (A canary without rounds, as only a hand-made report has, counts as none.)
        let hostShift: Double? = (base.runs + new.runs).allSatisfy { $0.canary?.samples.isEmpty == false }
            ? Statistics.median(canaries[1]) / Statistics.median(canaries[0]) : nil
        var rows: [Row] = []
        var notCompared: [BenchmarkID: String] = [:]
        for id in common {
            let results = sides.map { runs in runs.map { $0[id]! } }
            if let (name, missing) = zip([base.name, new.name], results).lazy
                .compactMap({ name, rs in rs.first { $0.summary == nil }.map { (name, $0) } }).first {
                notCompared[id] = "\(missing.status.rawValue) in \(name)" + (missing.error.map { ": \($0)" } ?? "")
                continue
            }
            guard var r = row(id: id, unit: results[1][0].unit, base: results[0].map(\.samples), new: results[1].map(\.samples),
                              threshold: thresholds.fraction(for: id), alpha: alpha, power: power, estimator: estimator,
                              hostShift: hostShift, cycleNs: first.environment.tsc.frequencyHz.map { 1e9 / $0 },
                              variesBetweenRuns: Suites.variesBetweenRuns(id)) else {
                notCompared[id] = "its \(estimator.label) is not positive in \(base.name), or the change is beyond any number"
                continue
            }
            let b = results[1][0]
            r.explainedBy = environment.filter {
                $0.kind.canExplain(syscallsPerOp: b.syscallsPerOp, category: b.category, usesLibc: Suites.usesLibc(id))
            }.map(\.field)
            rows.append(r)
        }
        let interrupted = [base, new].flatMap { side in side.runs.filter(\.interrupted).isEmpty ? [] : [side.name] }
        var noVerdicts: String?
        if !machines.isEmpty {
            noVerdicts = "different machines (\(machines.map(\.field).joined(separator: ", "))): ratios only"
        } else if !interrupted.isEmpty {
            noVerdicts = "\(interrupted.joined(separator: " and ")) \(interrupted.count > 1 ? "were" : "was") interrupted: its figures are partial"
        }
        if noVerdicts != nil { for i in rows.indices { rows[i].verdict = nil } }
        let emulated = [base, new].filter { $0.runs.contains { $0.environment.emulated == true } }.map(\.name)
        var comparison = Comparison(base: base.name, new: new.name, baseRuns: base.runs.count, newRuns: new.runs.count, estimator: estimator,
                          threshold: thresholds.default / 100, alpha: alpha, power: power,
                          baseMachine: first.environment.fingerprint.key, newMachine: new.runs[0].environment.fingerprint.key,
                          machineDifferences: machines, noVerdicts: noVerdicts, interrupted: interrupted, hostShift: hostShift,
                          environment: environment, rows: rows,
                          onlyInBase: first.results.map(\.id).filter { !inNew.contains($0) },
                          onlyInNew: new.runs[0].results.map(\.id).filter { !inBase.contains($0) },
                          notCompared: notCompared, emulated: emulated,
                          incomplete: incompleteness(base: base, new: new, compared: rows.count, allowMissing: allowMissing))
        comparison.baseKernel = first.environment.kernel.release
        comparison.newKernel = new.runs[0].environment.kernel.release
        return comparison
    }

    /// One benchmark compared: `base` and `new` are each side's runs, each run its rounds.
    /// A change is only attributable beyond the `floor`: the host canary's shift between the
    /// sides, doubled (on a log scale: a canary 37% slower makes a floor of 88%), because other
    /// code slows by more than the canary's multiplies when a sibling vCPU gets busy — here the
    /// canary slowed 1.37–1.39× while the vDSO clock_gettime slowed 1.68× and getppid 1.7× — and
    /// one TSC cycle per op (`cycleNs`): code and data land at other addresses in
    /// every process (ASLR), which moved vdso/getcpu/libc by 0.28 ns (+7.8%) between two
    /// back-to-back runs here while its rounds within each run stayed within 0.05 ns. A figure
    /// that `variesBetweenRuns` needs two runs or more on each side for an MDE (one run shows
    /// nothing of that variation). Nil when the base's estimate is not positive.
    public static func row(id: BenchmarkID, unit: FigureUnit, base: [[Double]], new: [[Double]], threshold: Double,
                           alpha: Double = defaultAlpha, power: Double = defaultPower, estimator: Estimator = .undisturbed,
                           hostShift: Double? = nil, cycleNs: Double? = nil, variesBetweenRuns: String? = nil) -> Row? {
        if base.count == 1, new.count == 1 {
            return row(id: id, unit: unit, base: RunEstimate(base[0], estimator), new: RunEstimate(new[0], estimator),
                       threshold: threshold, alpha: alpha, power: power, hostShift: hostShift, cycleNs: cycleNs,
                       variesBetweenRuns: variesBetweenRuns)
        }
        let pooledBase = base.flatMap { $0 }, pooledNew = new.flatMap { $0 }
        guard let b = estimator.value(pooledBase), let n = estimator.value(pooledNew), b > 0, (n / b).isFinite else { return nil }
        let seed = UInt64(truncatingIfNeeded: id.description.utf8.reduce(5381) { $0 &* 33 &+ Int($1) })
        let distribution = Bootstrap.ratio(base: base, new: new, estimator: estimator, confidence: 1 - alpha, seed: seed)
        let cv = { (xs: [Double]) in Summary(samples: xs)?.cv ?? 0 }
        return judged(id: id, unit: unit, base: (b, cv(pooledBase), pooledBase.count), new: (n, cv(pooledNew), pooledNew.count),
                      distribution: distribution, runsASide: min(base.count, new.count), threshold: threshold, alpha: alpha,
                      power: power, hostShift: hostShift, cycleNs: cycleNs, variesBetweenRuns: variesBetweenRuns)
    }

    /// One benchmark compared, one run a side, from each run's estimate.
    public static func row(id: BenchmarkID, unit: FigureUnit, base: RunEstimate?, new: RunEstimate?, threshold: Double,
                           alpha: Double = defaultAlpha, power: Double = defaultPower, hostShift: Double? = nil,
                           cycleNs: Double? = nil, variesBetweenRuns: String? = nil) -> Row? {
        guard let base, let new, base.value > 0, (new.value / base.value).isFinite else { return nil }
        let distribution = base.moments.flatMap { b in new.moments.flatMap { n in
            Bootstrap.ratio(base: b, new: n, baseValue: base.value, newValue: new.value, confidence: 1 - alpha)
        } }
        return judged(id: id, unit: unit, base: (base.value, base.cv, base.rounds), new: (new.value, new.cv, new.rounds),
                      distribution: distribution, runsASide: 1, threshold: threshold, alpha: alpha, power: power,
                      hostShift: hostShift, cycleNs: cycleNs, variesBetweenRuns: variesBetweenRuns)
    }

    /// The row from both sides' figures and the ratio's bootstrap: the floor, the MDE, the verdict.
    static func judged(id: BenchmarkID, unit: FigureUnit, base: (value: Double, cv: Double, rounds: Int),
                       new: (value: Double, cv: Double, rounds: Int), distribution: Bootstrap.RatioDistribution?, runsASide: Int,
                       threshold: Double, alpha: Double, power: Double, hostShift: Double?, cycleNs: Double?,
                       variesBetweenRuns: String?) -> Row {
        let ratio = new.value / base.value
        let floor = exp(max(hostShift.map { Self.hostShiftFloor * abs(log($0)) } ?? 0, cycleNs.map { log(1 + $0 / base.value) } ?? 0)) - 1
        let blind = variesBetweenRuns != nil && runsASide < 2
        // Rounds spread over many orders of magnitude (a report from elsewhere) can make an
        // interval or an MDE overflow: a figure that is not finite is no figure, so the row is
        // inconclusive rather than unwritable.
        let mde = blind ? nil : distribution.map {
            MinimumDetectableEffect.of(logStandardError: $0.logStandardError, alpha: alpha, power: power, floor: floor)
        }.flatMap(finite)
        let interval = distribution.flatMap { d in finite(d.interval.lowerBound).flatMap { lo in finite(d.interval.upperBound).map { lo...$0 } } }
        let verdict = Self.verdict(ratio: ratio, ci: interval, mde: mde, threshold: threshold, floor: floor)
        return Row(id: id, unit: unit, baseValue: base.value, newValue: new.value, ratio: ratio,
                   ratioCI95Low: interval?.lowerBound, ratioCI95High: interval?.upperBound,
                   mde: mde, baseCV: finite(base.cv) ?? 0, newCV: finite(new.cv) ?? 0, baseRounds: base.rounds, newRounds: new.rounds,
                   threshold: threshold, verdict: verdict, withinFloor: floor > 0 && abs(log(ratio)) <= log(1 + floor),
                   variesBetweenRuns: blind ? variesBetweenRuns : nil)
    }

    static func finite(_ x: Double) -> Double? { x.isFinite ? x : nil }

    /// How many times the canary's log-shift no change is attributed within (see `row`).
    public static let hostShiftFloor = 2.0

    /// A change counts when its interval excludes no change, it exceeds the threshold, and it
    /// exceeds `floor` (either way): `regression` or `improvement`. Otherwise the row is
    /// `unchanged` when the comparison could have seen a change of the threshold's size (MDE
    /// within the threshold) and the change itself is within the threshold, and
    /// `inconclusive` when not.
    public static func verdict(ratio: Double, ci: ClosedRange<Double>?, mde: Double?, threshold: Double,
                               floor: Double = 0) -> Verdict {
        guard let ci, let mde else { return .inconclusive }
        if !ci.contains(1), abs(ratio - 1) > threshold, abs(log(ratio)) > log(1 + floor) {
            return ratio > 1 ? .regression : .improvement
        }
        return mde <= threshold && abs(ratio - 1) <= threshold ? .unchanged : .inconclusive
    }

    /// Up to three ids, then "…": how a message names a list.
    public static func sample(_ ids: [BenchmarkID]) -> String {
        ids.isEmpty ? "none" : ids.prefix(3).map(\.description).joined(separator: ", ") + (ids.count > 3 ? ", …" : "")
    }
}
