import Foundation

/// The bootstrap of the ratio of two estimates (new / base).
///
/// One run a side: the two runs are independent, and each side's bootstrap law is known
/// exactly (`QuantileBootstrap`), so the standard error of the log ratio is the root of the
/// two variances and the interval is normal on the log scale — no resampling, the same figure
/// every time, and cheap enough for every cell of a long history.
///
/// Several runs on a side: a hierarchical percentile bootstrap. A resample draws runs with
/// replacement (so the between-run variation is in the interval), then rounds with replacement
/// within each drawn run, pools them, and reads the estimator. Seeded, so the same reports
/// always give the same interval.
public enum Bootstrap {
    public static let defaultResamples = Resampling.hierarchical

    /// The ratio's percentile interval at `confidence`, and the standard error of its
    /// logarithm (what the minimum detectable effect is made of); nil when a side has no
    /// samples or its estimate is never positive.
    public struct RatioDistribution: Equatable, Sendable {
        public var interval: ClosedRange<Double>
        public var logStandardError: Double
    }

    public static func ratio(base: [[Double]], new: [[Double]], estimator: Estimator, resamples: Int = defaultResamples,
                             confidence: Double = 0.95, seed: UInt64 = 0x5eed) -> RatioDistribution? {
        let base = base.filter { !$0.isEmpty }, new = new.filter { !$0.isEmpty }
        guard !base.isEmpty, !new.isEmpty else { return nil }
        if base.count == 1, new.count == 1 {
            let b = base[0].sorted(), n = new[0].sorted()
            guard let bm = QuantileBootstrap.logMoments(sorted: b, quantile: estimator.quantile),
                  let nm = QuantileBootstrap.logMoments(sorted: n, quantile: estimator.quantile) else { return nil }
            return ratio(base: bm, new: nm, baseValue: estimator.value(sorted: b), newValue: estimator.value(sorted: n), confidence: confidence)
        }
        var rng = SplitMix64(seed: seed)
        var logRatios: [Double] = []
        let resamples = Resampling.count(resamples, roundsPerResample: (base + new).reduce(0) { $0 + $1.count })
        logRatios.reserveCapacity(resamples)
        var pooled: [Double] = []
        for _ in 0..<resamples {
            resample(base, &rng, into: &pooled)
            let b = Selection.quantile(&pooled, estimator.quantile)
            resample(new, &rng, into: &pooled)
            let n = Selection.quantile(&pooled, estimator.quantile)
            guard b > 0, n > 0 else { continue }
            logRatios.append(log(n / b))
        }
        guard logRatios.count > 1 else { return nil }
        logRatios.sort()
        let tail = (1 - confidence) / 2
        let low = exp(Statistics.quantile(sorted: logRatios, tail)), high = exp(Statistics.quantile(sorted: logRatios, 1 - tail))
        return RatioDistribution(interval: low...high, logStandardError: Statistics.standardDeviation(logRatios))
    }

    /// One run a side, from each run's exact bootstrap log-moments and its estimate: the
    /// interval log(new/base) ± z·√(sd²(base) + sd²(new)), exponentiated. Nil when an
    /// estimate is not positive.
    public static func ratio(base: QuantileBootstrap.LogMoments, new: QuantileBootstrap.LogMoments, baseValue: Double,
                             newValue: Double, confidence: Double = 0.95) -> RatioDistribution? {
        guard baseValue > 0, newValue > 0 else { return nil }
        let se = (base.standardDeviation * base.standardDeviation + new.standardDeviation * new.standardDeviation).squareRoot()
        let z = Normal.quantile(1 - (1 - confidence) / 2)
        let center = log(newValue / baseValue)
        return RatioDistribution(interval: exp(center - z * se)...exp(center + z * se), logStandardError: se)
    }

    /// One side resampled into `pooled`: runs with replacement (a single run is kept), then
    /// each drawn run's rounds with replacement.
    static func resample(_ runs: [[Double]], _ rng: inout SplitMix64, into pooled: inout [Double]) {
        pooled.removeAll(keepingCapacity: true)
        for _ in runs.indices {
            let run = runs.count == 1 ? runs[0] : runs[Int(rng.next() % UInt64(runs.count))]
            for _ in run.indices { pooled.append(run[Int(rng.next() % UInt64(run.count))]) }
        }
    }
}
