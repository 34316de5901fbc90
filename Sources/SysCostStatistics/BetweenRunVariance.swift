import Foundation

/// The between-run component of a figure's variance, one-way ANOVA style on the log scale: the
/// runs' estimates scatter about their group's mean by the between-run variance plus each run's
/// own (within-run) variance, so the pooled scatter less the mean within-run variance is the
/// between-run part, never below zero. Its degrees of freedom are the runs less the groups.
public enum BetweenRunVariance {
    /// A run's estimate: log(value) and the variance of that log over its rounds.
    public struct Run: Sendable {
        public var log: Double
        public var within: Double
        public init(log: Double, within: Double) { self.log = log; self.within = within }
    }

    /// The variance and its degrees of freedom over `groups` (runs whose mean may differ: a
    /// kernel, a seccomp setting, a side of a comparison); nil with no degree of freedom or a
    /// figure that is not finite.
    public static func estimate(_ groups: [[Run]]) -> (variance: Double, degreesOfFreedom: Int, meanWithin: Double)? {
        var squares = 0.0, df = 0, within = 0.0, runs = 0
        for g in groups where !g.isEmpty {
            let mean = g.reduce(0) { $0 + $1.log } / Double(g.count)
            squares += g.reduce(0) { $0 + ($1.log - mean) * ($1.log - mean) }
            df += g.count - 1
            within += g.reduce(0) { $0 + $1.within }
            runs += g.count
        }
        guard df > 0 else { return nil }
        let meanWithin = within / Double(runs)
        let variance = max(0, squares / Double(df) - meanWithin)
        return variance.isFinite && meanWithin.isFinite ? (variance, df, meanWithin) : nil
    }
}
