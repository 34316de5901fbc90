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
        /// the chosen power, among the family of rows: (t(1 − level/2) + t(power)) × the
        /// standard error of the log ratio, at the level a lone change must reach
        /// (`FamilyControl.worstLevel`), never less than one cycle per op. Nil without an
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
        /// The change is no larger than one cycle per op, which no run can attribute: it is no
        /// regression or improvement.
        public var withinFloor = false
        /// Why this figure moves between runs by more than its rounds show (its suite says),
        /// when it was judged one run a side with no spread learned.
        public var variesBetweenRuns: String?
        /// The standard error of log(ratio), within and between runs, and the degrees of
        /// freedom of its t interval; nil where the between-run term is unknown.
        public var logStandardError: Double?
        public var degreesOfFreedom: Double?
        /// The two-sided p-value of no change (before family control).
        public var pValue: Double?
        /// The between-run standard deviation of log(estimate) used, and where it came from.
        public var betweenRunLogSD: Double?
        public var betweenRunSource: BetweenRunSource?
        /// A run's within-run variance of log(estimate), the mean over the compared runs.
        public var withinRunLogVariance: Double?
        /// For an inconclusive row: the runs a side that would resolve its threshold (more
        /// than `maxRunsASide`: `maxRunsASide + 1`), or what would settle it.
        public var runsASideNeeded: Int?
        public var settle: String?
    }

    /// Where a row's between-run term came from.
    public enum BetweenRunSource: String, Codable, Sendable {
        /// The machine's learned spread (`BetweenRunSpread`).
        case learned
        /// The runs of this comparison, several on a side.
        case theseRuns = "these-runs"
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
    /// when a run has no canary (reports from before it). Shown, never judged by: on a shared
    /// host it does not track what the kernel entry path sees (README "Did it change?").
    public var hostShift: Double?
    /// The median, over the compared rows and runs, of the rank correlation between the
    /// canary's rounds and the row's rounds in one run: how far the canary follows the phase
    /// the benchmarks see (nil without a canary).
    public var canaryCorrelation: Double?
    /// How the family of rows is controlled, and how many rows it has.
    public var family: FamilyControl = .holm
    public var familySize = 0
    /// The learned between-run spread used, said as its source; or why none was.
    public var spread: String?
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
    /// What both sides' figures count (guest instructions under an instruction clock).
    public var counted: Counted = .nanoseconds
    /// The instruction clock's machine ("qemu icount, cpu max"), when they count instructions.
    public var instructionClock: String?

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
    /// The default threshold for figures that count guest instructions: they repeat across
    /// boots to a millionth where nothing varies, so a change is judged against the spread
    /// the boots show, and the threshold only keeps sub-0.1% drifts from being named.
    public static let instructionThreshold = 0.001

    /// The default threshold of runs that count `counted`.
    public static func defaultThreshold(for counted: Counted) -> Double {
        counted == .guestInstructions ? instructionThreshold : defaultThreshold
    }
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
                               scope: Scope = .sameMachine, allowMissing: Bool = false, spread: BetweenRunSpread? = nil,
                               family: FamilyControl = .holm) throws -> Comparison {
        try compare(Side(baseName, base), Side(newName, new), thresholds: thresholds, alpha: alpha, power: power,
                    estimator: estimator, scope: scope, allowMissing: allowMissing, spread: spread, family: family)
    }

    /// Compares side `new` against side `base`. Runs of different machines (or hardware
    /// against an emulated CPU), within a side or across, are refused as bad input naming what
    /// differs, unless `scope` is `.acrossMachines`, which gives ratios without verdicts. What
    /// keeps the comparison from passing a gate (an interrupted or failed run, a benchmark the
    /// new side lacks unless `allowMissing`, nothing compared) is in `incomplete`. `spread` is
    /// the machine's learned between-run spread (used only when it is the base's machine and
    /// estimator); `family` controls the false rows over all of them.
    public static func compare(_ base: Side, _ new: Side, thresholds: Thresholds = Thresholds(default: defaultThreshold * 100),
                               alpha: Double = defaultAlpha, power: Double = defaultPower, estimator: Estimator = .undisturbed,
                               scope: Scope = .sameMachine, allowMissing: Bool = false, spread: BetweenRunSpread? = nil,
                               family: FamilyControl = .holm) throws -> Comparison {
        guard let first = base.runs.first, !new.runs.isEmpty else { throw SysCostError.usage("a side of the comparison has no runs") }
        // An instruction count and a time are not one quantity: no scope compares them.
        let counts = [base, new].map { side in Set(side.runs.map(\.environment.counted)) }
        if counts[0].union(counts[1]).count > 1 {
            func says(_ side: Side, _ c: Set<Counted>) -> String {
                "\(side.name) counted \(c.count > 1 ? "both guest instructions and nanoseconds" : c.first?.noun ?? "nothing")"
            }
            throw SysCostError.usage("\(says(base, counts[0])), \(says(new, counts[1])): a run under qemu's instruction clock "
                + "(kernel-matrix.sh --accel icount) counts guest instructions, never time, so it is never compared with a timed run, "
                + "not even with --across-machines")
        }
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
        let shift: Double? = (base.runs + new.runs).allSatisfy { $0.canary?.samples.isEmpty == false }
            ? Statistics.median(canaries[1]) / Statistics.median(canaries[0]) : nil
        let hostShift = shift.flatMap { $0.isFinite && $0 > 0 ? $0 : nil }
        let cycleNs = first.environment.attributableStepNs
        var spreadNote: String?
        var usedSpread: BetweenRunSpread?
        if let spread {
            if spread.machine != first.environment.fingerprint.key {
                spreadNote = "a spread of \(spread.machine), not \(first.environment.fingerprint.key): not used"
            } else if spread.estimator != estimator {
                spreadNote = "a spread of the \(spread.estimator.label), not the \(estimator.label): not used"
            } else {
                usedSpread = spread
                spreadNote = spread.source()
            }
        }
        let learned = usedSpread?.byID ?? [:]
        var rows: [Row] = []
        var notCompared: [BenchmarkID: String] = [:]
        var notPositive: [(side: String, id: BenchmarkID)] = []
        for id in common {
            let results = sides.map { runs in runs.compactMap { $0[id] } }
            guard zip(results, sides).allSatisfy({ $0.count == $1.count }) else { notCompared[id] = "not in every run"; continue }
            if let (name, missing) = zip([base.name, new.name], results).lazy
                .compactMap({ name, rs in rs.first { $0.summary == nil }.map { (name, $0) } }).first {
                notCompared[id] = "\(missing.status.rawValue) in \(name)" + (missing.error.map { ": \($0)" } ?? "")
                continue
            }
            guard var r = row(id: id, unit: results[1][0].unit, base: results[0].map(\.samples), new: results[1].map(\.samples),
                              threshold: thresholds.fraction(for: id), alpha: alpha, estimator: estimator,
                              spread: learned[id], cycleNs: cycleNs,
                              variesBetweenRuns: Suites.variesBetweenRuns(id)) else {
                // A figure at or below the empty loop's cost on both sides (an op cheaper than
                // the loop, timer/rdpid) is no time to compare; one side alone without a
                // positive time (zeros, negatives, a doctored file) is no pass.
                let positive = results.map { rs in estimator.value(rs.flatMap(\.samples)).map { $0 > 0 && $0.isFinite } ?? false }
                let unusable = positive[0] ? new.name : base.name
                notCompared[id] = "its \(estimator.label) is not a positive, finite time in \(positive == [false, false] ? "either" : unusable), or the change is beyond any number"
                if positive != [false, false] { notPositive.append((unusable, id)) }
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
        decide(&rows, family: family, alpha: alpha, power: power, cycleNs: cycleNs)
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
                          incomplete: incompleteness(base: base, new: new, compared: rows.count, allowMissing: allowMissing,
                                                     notPositive: notPositive))
        comparison.family = family
        comparison.familySize = rows.filter { $0.pValue != nil }.count
        comparison.spread = spreadNote
        comparison.canaryCorrelation = canaryCorrelation([base, new], ids: rows.map(\.id))
        comparison.baseKernel = first.environment.kernel.release
        comparison.newKernel = new.runs[0].environment.kernel.release
        comparison.counted = first.environment.counted
        comparison.instructionClock = first.environment.instructionClock?.machineName
        return comparison
    }

    /// One benchmark compared, before the family is judged: `base` and `new` are each side's
    /// runs, each run its rounds. The change is log(new / base) of the estimator over each
    /// side's pooled rounds; its standard error is made of two parts:
    /// - within runs: each run's exact bootstrap variance over its rounds (one run a side), or
    ///   the hierarchical bootstrap over runs, then rounds (several);
    /// - between runs: the host's phase, which a run's rounds cannot show. With one run a side
    ///   it comes only from `spread` (learned on this machine); without it the row has no
    ///   interval, no MDE and no verdict but inconclusive, and says what would settle it. With
    ///   several runs a side the runs show it too, and a learned spread is a floor under it.
    /// The interval takes Student's t with the degrees of freedom behind the between-run term.
    /// A change is only attributable beyond one TSC cycle per op (`cycleNs`): code and data
    /// land at other addresses in every process (ASLR), which moved vdso/getcpu/libc by 0.28 ns
    /// (+7.8%) between two back-to-back runs here while its rounds within each run stayed
    /// within 0.05 ns. Nil when the base's estimate is not positive. `decide` gives the MDE and
    /// the verdict once every row of the family is known.
    public static func row(id: BenchmarkID, unit: FigureUnit, base: [[Double]], new: [[Double]], threshold: Double,
                           alpha: Double = defaultAlpha, estimator: Estimator = .undisturbed,
                           spread: BetweenRunSpread.Entry? = nil, cycleNs: Double? = nil, variesBetweenRuns: String? = nil) -> Row? {
        let base = base.filter { !$0.isEmpty }, new = new.filter { !$0.isEmpty }
        guard !base.isEmpty, !new.isEmpty else { return nil }
        let pooledBase = base.flatMap { $0 }, pooledNew = new.flatMap { $0 }
        guard let b = estimator.value(pooledBase), let n = estimator.value(pooledNew), b > 0, n > 0, (n / b).isFinite else { return nil }
        let ratio = n / b
        let cv = { (xs: [Double]) in finite(Summary(samples: xs)?.cv ?? 0) ?? 0 }
        let perRun = [base, new].map { side in side.compactMap { RunEstimate($0, estimator)?.logVariance } }
        let within = perRun.flatMap { $0 }
        let meanWithin = within.isEmpty ? nil : within.reduce(0, +) / Double(within.count)
        let severalRuns = base.count > 1 || new.count > 1
        var se: Double?, df: Double?, between: Double?, source: BetweenRunSource?
        if let spread {
            between = spread.logSD; source = .learned
        } else if severalRuns, let (sd, _) = dataSpread([base, new], estimator: estimator) {
            between = sd; source = .theseRuns
        }
        if !severalRuns {
            if let spread, perRun[0].count == 1, perRun[1].count == 1 {
                se = (perRun[0][0] + perRun[1][0] + 2 * spread.logSD * spread.logSD).squareRoot()
                df = Double(spread.degreesOfFreedom)
            }
        } else {
            let seed = UInt64(truncatingIfNeeded: id.description.utf8.reduce(5381) { $0 &* 33 &+ Int($1) })
            if let boot = Bootstrap.ratio(base: base, new: new, estimator: estimator, confidence: 1 - alpha, seed: seed) {
                var variance = boot.logStandardError * boot.logStandardError
                let dataDF = Double(max(base.count + new.count - 2, 1))
                df = dataDF
                if let spread, perRun[0].count == base.count, perRun[1].count == new.count {
                    let floor = perRun[0].reduce(0, +) / Double(base.count * base.count) + perRun[1].reduce(0, +) / Double(new.count * new.count)
                        + spread.logSD * spread.logSD * (1 / Double(base.count) + 1 / Double(new.count))
                    variance = max(variance, floor)
                    df = dataDF + Double(spread.degreesOfFreedom)
                }
                se = variance.squareRoot()
            }
        }
        let floor = cycleNs.map { log(1 + $0 / b) } ?? 0
        var row = Row(id: id, unit: unit, baseValue: b, newValue: n, ratio: ratio, ratioCI95Low: nil, ratioCI95High: nil, mde: nil,
                      baseCV: cv(pooledBase), newCV: cv(pooledNew), baseRounds: pooledBase.count, newRounds: pooledNew.count,
                      threshold: threshold, verdict: .inconclusive, withinFloor: floor > 0 && abs(log(ratio)) <= floor,
                      // A suite that knows its figure moves between runs says so where nothing learned covers it.
                      variesBetweenRuns: se == nil ? variesBetweenRuns : nil)
        row.betweenRunLogSD = between.flatMap(finite)
        row.betweenRunSource = row.betweenRunLogSD == nil ? nil : source
        row.withinRunLogVariance = meanWithin.flatMap(finite)
        guard let se = se.flatMap(finite), let df else {
            row.settle = Self.unsettled(severalRuns: severalRuns)
            return row
        }
        let center = log(ratio)
        row.logStandardError = se
        row.degreesOfFreedom = df
        let t = StudentT.quantile(1 - alpha / 2, df: df)
        if let lo = finite(exp(center - t * se)), let hi = finite(exp(center + t * se)) {
            row.ratioCI95Low = lo; row.ratioCI95High = hi
        }
        row.pValue = se > 0 ? StudentT.twoSidedP(center / se, df: df) : (center == 0 ? 1 : 0)
        return row
    }

    /// The between-run standard deviation of log(estimate) that the runs of a comparison show
    /// themselves (each side a group: `BetweenRunVariance`), with its degrees of freedom; nil
    /// when no side has two runs.
    static func dataSpread(_ sides: [[[Double]]], estimator: Estimator) -> (Double, Int)? {
        var groups: [[BetweenRunVariance.Run]] = []
        for side in sides where side.count > 1 {
            let runs = side.compactMap { RunEstimate($0, estimator) }.compactMap { e in
                e.logVariance.map { BetweenRunVariance.Run(log: log(e.value), within: $0) }
            }
            guard runs.count == side.count else { return nil }
            groups.append(runs)
        }
        return BetweenRunVariance.estimate(groups).map { ($0.variance.squareRoot(), $0.degreesOfFreedom) }
    }

    /// What settles a row that has no interval.
    static func unsettled(severalRuns: Bool) -> String {
        severalRuns ? "no interval from these runs: take more rounds or runs a side"
            : "one run a side shows nothing of how this machine moves between runs: take 3 runs a side, or learn the spread (syscost calibrate)"
    }

    /// The verdicts of a family of rows: each row's MDE at the level a lone change must reach
    /// among them (`FamilyControl.worstLevel`), significance by `family` over their p-values,
    /// and, for the rows left inconclusive, how many runs a side would settle them.
    /// A change counts when it is significant for the family, exceeds its threshold and
    /// exceeds one cycle per op (`withinFloor`): regression or improvement. A row is
    /// unchanged when its change is within the threshold and its MDE is too (a change of the
    /// threshold's size would have been seen with the stated power); inconclusive otherwise.
    public static func decide(_ rows: inout [Row], family: FamilyControl, alpha: Double, power: Double, cycleNs: Double?) {
        let significant = family.significant(rows.map(\.pValue), alpha: alpha)
        let level = family.worstLevel(alpha: alpha, family: rows.filter { $0.pValue != nil }.count)
        for i in rows.indices {
            let r = rows[i]
            guard let se = r.logStandardError, let df = r.degreesOfFreedom else { rows[i].verdict = .inconclusive; continue }
            let floor = cycleNs.map { log(1 + $0 / r.baseValue) } ?? 0
            let z = StudentT.quantile(1 - level / 2, df: df) + StudentT.quantile(power, df: df)
            let mde = finite(exp(max(z * se, floor)) - 1)
            rows[i].mde = mde
            let change = abs(r.ratio - 1)
            if significant[i], change > r.threshold, !r.withinFloor {
                rows[i].verdict = r.ratio > 1 ? .regression : .improvement
            } else if let mde, mde <= r.threshold, change <= r.threshold {
                rows[i].verdict = .unchanged
            } else {
                rows[i].verdict = .inconclusive
                rows[i].runsASideNeeded = runsASide(r, level: level, power: power)
            }
        }
    }

    /// The runs a side whose mean would resolve `r`'s threshold at `level` with `power`, from
    /// its between-run spread and a run's within variance: n with
    /// (z(1 − level/2) + z(power))·√(2(σ²_between + σ²_within)/n) ≤ log(1 + threshold); nil
    /// without a spread, `maxRunsASide + 1` when more would be needed.
    static func runsASide(_ r: Row, level: Double, power: Double) -> Int? {
        guard let between = r.betweenRunLogSD, let within = r.withinRunLogVariance, r.threshold > 0 else { return nil }
        let z = Normal.quantile(1 - level / 2) + Normal.quantile(power)
        let n = (z * z * 2 * (between * between + within) / pow(log(1 + r.threshold), 2)).rounded(.up)
        guard n.isFinite else { return maxRunsASide + 1 }
        return Int(min(max(n, 1), Double(maxRunsASide + 1)))
    }

    /// Beyond this many runs a side, a plan says "more than": the machine is too noisy for the threshold.
    public static let maxRunsASide = 100

    static func finite(_ x: Double) -> Double? { x.isFinite ? x : nil }

    /// The median over runs and rows of Spearman's ρ between a run's canary rounds and a
    /// row's rounds in the same run (rounds taken side by side, one canary batch per round).
    static func canaryCorrelation(_ sides: [Side], ids: [BenchmarkID]) -> Double? {
        let wanted = Set(ids)
        var rhos: [Double] = []
        for run in sides.flatMap(\.runs) {
            guard let canary = run.canary?.samples, canary.count >= 8 else { continue }
            let canaryRanks = Statistics.ranks(canary)
            for r in run.results where wanted.contains(r.id) && r.samples.count == canary.count {
                if let rho = Statistics.pearson(canaryRanks, Statistics.ranks(r.samples)) { rhos.append(rho) }
            }
        }
        return rhos.isEmpty ? nil : Statistics.median(rhos)
    }

    /// Up to three ids, then "…": how a message names a list.
    public static func sample(_ ids: [BenchmarkID]) -> String {
        ids.isEmpty ? "none" : ids.prefix(3).map(\.description).joined(separator: ", ") + (ids.count > 3 ? ", …" : "")
    }
}
