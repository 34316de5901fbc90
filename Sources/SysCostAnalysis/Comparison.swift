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
        public var verdict: Verdict
    }

    public var base: String
    public var new: String
    public var threshold: Double
    public var alpha: Double
    public var environment: [EnvironmentDifference]
    public var rows: [Row]
    public var onlyInBase: [BenchmarkID]
    public var onlyInNew: [BenchmarkID]
    /// In both runs but without samples in one (failed, skipped): id → why.
    public var notCompared: [BenchmarkID: String]
    /// A run's timings came from an emulated CPU (TCG): they are not the hardware's.
    public var emulated: [String]

    public var regressions: [Row] { rows.filter { $0.verdict == .regression } }

    public static let defaultThreshold = 0.05
    public static let defaultAlpha = 0.05

    /// Compares `new` against `base`; throws a usage-class error when they share no id.
    public static func compare(base: RunReport, new: RunReport, baseName: String = "BASE", newName: String = "NEW",
                               threshold: Double = defaultThreshold, alpha: Double = defaultAlpha) throws -> Comparison {
        let baseById = Dictionary(base.results.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let newById = Dictionary(new.results.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let common = base.results.map(\.id).filter { newById[$0] != nil }
        guard !common.isEmpty else {
            throw SysCostError.invalidReport("no benchmark id is in both runs: \(baseName) has \(baseById.count) (\(sample(base.results.map(\.id)))), \(newName) has \(newById.count) (\(sample(new.results.map(\.id))))")
        }
        var rows: [Row] = []
        var notCompared: [BenchmarkID: String] = [:]
        for id in common {
            let a = baseById[id]!, b = newById[id]!
            guard let sa = a.summary, let sb = b.summary, sa.median > 0 else {
                let which = a.summary == nil ? (baseName, a) : (newName, b)
                notCompared[id] = "\(which.1.status.rawValue) in \(which.0)" + (which.1.error.map { ": \($0)" } ?? "")
                continue
            }
            rows.append(row(id: id, unit: b.unit, base: a.samples, new: b.samples, baseSummary: sa, newSummary: sb,
                            threshold: threshold, alpha: alpha))
        }
        var emulated: [String] = []
        if base.environment.emulated == true { emulated.append(baseName) }
        if new.environment.emulated == true { emulated.append(newName) }
        return Comparison(base: baseName, new: newName, threshold: threshold, alpha: alpha,
                          environment: EnvironmentDifference.between(base.environment, new.environment), rows: rows,
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
                   baseCV: baseSummary.cv, newCV: newSummary.cv, verdict: verdict)
    }

    /// How far a change must stand out from the noise of the runs, in their larger CV. The
    /// U test sees the spread within each run, not the drift between runs on a shared host;
    /// a change whose interval reaches into twice the runs' CV is within what a busy host
    /// moves back to back.
    public static let noiseMultiple = 2.0

    /// A change counts when it is significant (p < alpha and the bootstrap interval excludes
    /// 1), beyond the threshold, and clear of the noise: even the interval's end nearest to
    /// 1 is further from it than `noiseMultiple` × the larger CV. Otherwise it is `unchanged`
    /// when either the runs are quiet (CVs within the threshold) or the whole interval lies
    /// within ±threshold (whatever changed is smaller than a change that counts), and `noisy`
    /// when neither: a change of the threshold's size could hide in that noise.
    static func verdict(ratio: Double, ci: ClosedRange<Double>?, p: Double, cvs: (Double, Double),
                        threshold: Double, alpha: Double) -> Verdict {
        let noise = max(cvs.0, cvs.1)
        if let ci, !ci.contains(1), p < alpha, abs(ratio - 1) > threshold {
            let nearEnd = ratio > 1 ? ci.lowerBound - 1 : 1 - ci.upperBound
            if nearEnd > noiseMultiple * noise { return ratio > 1 ? .regression : .improvement }
        }
        let withinThreshold = ci.map { $0.lowerBound >= 1 - threshold && $0.upperBound <= 1 + threshold } ?? false
        return noise <= threshold || withinThreshold ? .unchanged : .noisy
    }

    static func sample(_ ids: [BenchmarkID]) -> String {
        ids.isEmpty ? "none" : ids.prefix(3).map(\.description).joined(separator: ", ") + (ids.count > 3 ? ", …" : "")
    }
}
