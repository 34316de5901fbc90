import Foundation
import SysCostModel

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
    public static let defaultResamples = 2000

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
            guard let b = Comparison.RunEstimate(base[0], estimator), let n = Comparison.RunEstimate(new[0], estimator),
                  let bm = b.moments, let nm = n.moments else { return nil }
            return ratio(base: bm, new: nm, baseValue: b.value, newValue: n.value, confidence: confidence)
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

/// The standard normal distribution's quantiles (for the minimum detectable effect).
public enum Normal {
    /// The z with P(Z ≤ z) = p, by Acklam's rational approximation (relative error < 1.2e-9).
    public static func quantile(_ p: Double) -> Double {
        precondition(p > 0 && p < 1, "normal quantile of \(p)")
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02,
                 -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01,
                 -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00,
                 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
        let low = 0.02425
        func tailValue(_ q: Double) -> Double {
            let num: Double = ((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]
            let den: Double = (((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1
            return num / den
        }
        if p < low { return tailValue((-2 * log(p)).squareRoot()) }
        if p > 1 - low { return -tailValue((-2 * log(1 - p)).squareRoot()) }
        let q = p - 0.5, r = q * q
        let num: Double = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
        let den: Double = ((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1
        return num / den
    }
}
