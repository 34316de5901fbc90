import Foundation
import SysCostModel

/// Two runs compared benchmark by benchmark: ratio of medians with a bootstrap interval, a
/// Mann-Whitney p-value over the repetition samples, and a verdict.
public struct Comparison: Codable, Equatable, Sendable {
    public enum Verdict: String, Codable, Sendable {
        /// Slower, significantly and by more than the threshold.
        case regression
        /// Faster, significantly and by more than the threshold.
        case improvement
        /// No change of the threshold's size that the test can see.
        case unchanged
        /// Too noisy to tell: not significant, and a run's CV exceeds the threshold.
        case noisy
    }

    public struct Row: Codable, Equatable, Sendable {
        public var id: BenchmarkID
        public var unit: FigureUnit
        public var baseMedian: Double
        public var newMedian: Double
        /// newMedian / baseMedian (> 1: slower).
        public var ratio: Double
        public var ratioCI95Low: Double?
        public var ratioCI95High: Double?
        public var pValue: Double
        public var baseCV: Double
        public var newCV: Double
        /// The threshold this row was judged against (a fraction).
        public var threshold: Double
        /// Nil when no verdict may be given (`Comparison.noVerdicts` says why).
        public var verdict: Verdict?
        /// Environment differences that can move this figure (their fields).
        public var explainedBy: [String] = []
        /// The change is no larger than the host's own change of speed (the canary's): no verdict.
        public var withinHostShift = false
    }

    public var base: String
    public var new: String
    /// The default threshold (a fraction); rows carry their own.
    public var threshold: Double
    public var alpha: Double
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

    public var regressions: [Row] { rows.filter { $0.verdict == .regression } }

    /// How much two runs may be compared.
    public enum Scope: Sendable {
        /// One machine, one kind of CPU: verdicts.
        case sameMachine
        /// Ratios only, whatever the machines (`--across-machines`).
        case acrossMachines
    }

    public static let defaultThreshold = 0.05
    public static let defaultAlpha = 0.05

    /// Compares `new` against `base`; throws a usage-class error when they share no id.
    /// Compares `new` against `base`. Runs of different machines (or hardware against an
    /// emulated CPU) are refused as bad input naming what differs, unless `scope` is
    /// `.acrossMachines`, which gives ratios without verdicts; so are two runs with no id in
    /// common.
    public static func compare(base: RunReport, new: RunReport, baseName: String = "BASE", newName: String = "NEW",
                               thresholds: Thresholds = Thresholds(default: defaultThreshold * 100),
                               alpha: Double = defaultAlpha, scope: Scope = .sameMachine) throws -> Comparison {
        let machines = base.environment.fingerprint.differences(from: new.environment.fingerprint)
        if !machines.isEmpty && scope == .sameMachine {
            throw SysCostError.usage("""
                \(baseName) and \(newName) ran on different machines (\(machines.map { "\($0.field): \($0.base) → \($0.new)" }.joined(separator: "; "))): \
                their figures differ for that alone, so they get no verdicts; --across-machines shows the ratios
                """)
        }
        let baseById = Dictionary(base.results.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let newById = Dictionary(new.results.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let common = base.results.map(\.id).filter { newById[$0] != nil }
        guard !common.isEmpty else {
            throw SysCostError.invalidReport("no benchmark id is in both runs: \(baseName) has \(baseById.count) (\(sample(base.results.map(\.id)))), \(newName) has \(newById.count) (\(sample(new.results.map(\.id))))")
        }
        let environment = EnvironmentDifference.between(base.environment, new.environment)
        var rows: [Row] = []
        var notCompared: [BenchmarkID: String] = [:]
        for id in common {
            let a = baseById[id]!, b = newById[id]!
            guard let sa = a.summary, let sb = b.summary, sa.median > 0 else {
                let which = a.summary == nil ? (baseName, a) : (newName, b)
                notCompared[id] = "\(which.1.status.rawValue) in \(which.0)" + (which.1.error.map { ": \($0)" } ?? "")
                continue
            }
            var r = row(id: id, unit: b.unit, base: a.samples, new: b.samples, baseSummary: sa, newSummary: sb,
                        threshold: thresholds.fraction(for: id), alpha: alpha)
            r.explainedBy = environment.filter {
                $0.kind.canExplain(syscallsPerOp: b.syscallsPerOp, category: b.category, variant: id.variant)
            }.map(\.field)
            rows.append(r)
        }
        let interrupted = [(baseName, base), (newName, new)].filter { $0.1.interrupted }.map(\.0)
        var noVerdicts: String?
        if !machines.isEmpty {
            noVerdicts = "different machines (\(machines.map(\.field).joined(separator: ", "))): ratios only"
        } else if !interrupted.isEmpty {
            noVerdicts = "\(interrupted.joined(separator: " and ")) \(interrupted.count > 1 ? "were" : "was") interrupted: its figures are partial"
        }
        if noVerdicts != nil { for i in rows.indices { rows[i].verdict = nil } }
        // A change no larger than the host's own is not the kernel's to claim.
        let hostShift = base.canary.flatMap { b in new.canary.map { $0.nsPerOp / b.nsPerOp } }
        if let hostShift {
            for i in rows.indices where rows[i].verdict != nil && abs(log(rows[i].ratio)) <= abs(log(hostShift)) {
                rows[i].verdict = nil
                rows[i].withinHostShift = true
            }
        }
        var emulated: [String] = []
        if base.environment.emulated == true { emulated.append(baseName) }
        if new.environment.emulated == true { emulated.append(newName) }
        return Comparison(base: baseName, new: newName, threshold: thresholds.default / 100, alpha: alpha,
                          baseMachine: base.environment.fingerprint.key, newMachine: new.environment.fingerprint.key,
                          machineDifferences: machines, noVerdicts: noVerdicts, interrupted: interrupted, hostShift: hostShift,
                          environment: environment, rows: rows,
                          onlyInBase: base.results.map(\.id).filter { newById[$0] == nil },
                          onlyInNew: new.results.map(\.id).filter { baseById[$0] == nil },
                          notCompared: notCompared, emulated: emulated)
    }

    public static func row(id: BenchmarkID, unit: FigureUnit, base: [Double], new: [Double], baseSummary: Summary, newSummary: Summary,
                    threshold: Double, alpha: Double) -> Row {
        let ratio = newSummary.median / baseSummary.median
        let ci = Bootstrap.medianRatioInterval(base: base, new: new, seed: UInt64(truncatingIfNeeded: id.description.utf8.reduce(5381) { $0 &* 33 &+ Int($1) }))
        let p = MannWhitney.pValue(base, new)
        let verdict = Self.verdict(ratio: ratio, ci: ci, p: p, cvs: (baseSummary.cv, newSummary.cv), threshold: threshold, alpha: alpha)
        return Row(id: id, unit: unit, baseMedian: baseSummary.median, newMedian: newSummary.median, ratio: ratio,
                   ratioCI95Low: ci?.lowerBound, ratioCI95High: ci?.upperBound, pValue: p,
                   baseCV: baseSummary.cv, newCV: newSummary.cv, threshold: threshold, verdict: verdict)
    }

    /// How far a change must stand out from the noise of the runs, in their larger CV. The
    /// U test sees the spread within each run, not the drift between runs on a shared host;
    /// a change whose interval reaches into twice the runs' CV is within what a busy host
    /// moves back to back.
    public static let noiseMultiple = 2.0

    /// A change counts when it is significant (p < alpha and the bootstrap interval excludes
    /// 1), beyond the threshold, and clear of the noise: even the interval's end nearest to
    /// 1 is further from it than `noiseMultiple` × the larger CV. Otherwise it is `unchanged`
    /// when either the runs are quiet (CVs within the threshold) and the change itself is
    /// within it, or the whole interval lies within ±threshold (whatever changed is smaller
    /// than a change that counts), and `noisy` when neither: a change of the threshold's size
    /// could hide in that noise.
    static func verdict(ratio: Double, ci: ClosedRange<Double>?, p: Double, cvs: (Double, Double),
                        threshold: Double, alpha: Double) -> Verdict {
        let noise = max(cvs.0, cvs.1)
        if let ci, !ci.contains(1), p < alpha, abs(ratio - 1) > threshold {
            let nearEnd = ratio > 1 ? ci.lowerBound - 1 : 1 - ci.upperBound
            if nearEnd > noiseMultiple * noise { return ratio > 1 ? .regression : .improvement }
        }
        let withinThreshold = ci.map { $0.lowerBound >= 1 - threshold && $0.upperBound <= 1 + threshold } ?? false
        // Quiet runs say "unchanged" only of a change no larger than the threshold: a +26%
        // change that did not clear the noise is `noisy`, not `unchanged`.
        return (noise <= threshold && abs(ratio - 1) <= threshold) || withinThreshold ? .unchanged : .noisy
    }

    static func sample(_ ids: [BenchmarkID]) -> String {
        ids.isEmpty ? "none" : ids.prefix(3).map(\.description).joined(separator: ", ") + (ids.count > 3 ? ", …" : "")
    }
}
