import Foundation

/// Summary statistics of one benchmark's per-repetition samples (ns/op).
public struct Summary: Codable, Equatable, Sendable {
    public var min: Double
    public var median: Double
    public var mean: Double
    public var stddev: Double
    /// Coefficient of variation: stddev / mean (0 when the mean is 0).
    public var cv: Double
    public var p5: Double
    public var p95: Double
    /// Distribution-free 95% confidence interval of the median, from order statistics; nil
    /// with fewer than 6 samples, where no pair of order statistics covers 95% (with 5 the
    /// widest, min–max, covers 93.75%).
    public var ci95Low: Double?
    public var ci95High: Double?
    /// Samples summarised.
    public var count: Int?

    public init(min: Double, median: Double, mean: Double, stddev: Double, cv: Double,
                p5: Double, p95: Double, ci95Low: Double?, ci95High: Double?, count: Int? = nil) {
        self.min = min; self.median = median; self.mean = mean; self.stddev = stddev; self.cv = cv
        self.p5 = p5; self.p95 = p95; self.ci95Low = ci95Low; self.ci95High = ci95High; self.count = count
    }

    /// Half the interval's width; nil where there is no interval.
    public var halfWidth: Double? { ci95Low.flatMap { lo in ci95High.map { hi in (hi - lo) / 2 } } }

    /// Summarises `samples`; nil when there are none.
    public init?(samples: [Double]) {
        guard !samples.isEmpty else { return nil }
        let sorted = samples.sorted()
        let mean = Statistics.mean(sorted)
        let sd = Statistics.standardDeviation(sorted)
        let ci = Statistics.medianConfidenceInterval(sorted: sorted)
        self.init(min: sorted[0], median: Statistics.quantile(sorted: sorted, 0.5), mean: mean, stddev: sd,
                  cv: mean == 0 ? 0 : sd / mean,
                  p5: Statistics.quantile(sorted: sorted, 0.05), p95: Statistics.quantile(sorted: sorted, 0.95),
                  ci95Low: ci?.lowerBound, ci95High: ci?.upperBound, count: sorted.count)
    }
}

public enum Statistics {
    public static func mean(_ xs: [Double]) -> Double {
        xs.isEmpty ? .nan : xs.reduce(0, +) / Double(xs.count)
    }

    /// Sample standard deviation (n − 1); 0 for fewer than two samples.
    public static func standardDeviation(_ xs: [Double]) -> Double {
        guard xs.count > 1 else { return 0 }
        let m = mean(xs)
        let ss = xs.reduce(0) { $0 + ($1 - m) * ($1 - m) }
        return (ss / Double(xs.count - 1)).squareRoot()
    }

    /// Quantile `q` in [0, 1] of sorted data, linear interpolation between closest ranks
    /// (Hyndman & Fan type 7, what numpy and R use by default).
    public static func quantile(sorted xs: [Double], _ q: Double) -> Double {
        precondition(!xs.isEmpty, "quantile of no data")
        let h = Double(xs.count - 1) * Swift.min(Swift.max(q, 0), 1)
        let lo = Int(h.rounded(.down))
        let hi = Swift.min(lo + 1, xs.count - 1)
        return xs[lo] + (h - Double(lo)) * (xs[hi] - xs[lo])
    }

    public static func median(_ xs: [Double]) -> Double { quantile(sorted: xs.sorted(), 0.5) }

    /// Distribution-free confidence interval of the median from order statistics: the
    /// narrowest symmetric pair of ranks (j, n+1−j) whose binomial(n, ½) coverage is at
    /// least `level`; nil when even the whole range covers less (n < 6 for 95%).
    public static func medianConfidenceInterval(sorted xs: [Double], level: Double = 0.95) -> ClosedRange<Double>? {
        let n = xs.count
        precondition(n > 0, "confidence interval of no data")
        // pmf of Binomial(n, 1/2), computed in log space to stay finite for large n.
        var logPmf = [Double](repeating: 0, count: n + 1)
        for k in 0...n {
            logPmf[k] = lgamma(Double(n + 1)) - lgamma(Double(k + 1)) - lgamma(Double(n - k + 1)) - Double(n) * log(2.0)
        }
        // Coverage of [x(j), x(n+1-j)] (1-based) is P(j <= K <= n - j).
        var best = 0  // no pair covers `level`
        var j = 1
        while j <= n / 2 {
            var coverage = 0.0
            if j <= n - j { for k in j...(n - j) { coverage += exp(logPmf[k]) } }
            if coverage >= level { best = j; j += 1 } else { break }
        }
        return best == 0 ? nil : xs[best - 1]...xs[n - best]
    }

    /// Median absolute deviation, unscaled.
    public static func medianAbsoluteDeviation(_ xs: [Double]) -> Double {
        guard !xs.isEmpty else { return 0 }
        let m = median(xs)
        return median(xs.map { abs($0 - m) })
    }

    /// Indices of samples more than `k` scaled MADs (1.4826 · MAD, a consistent estimate of σ
    /// for normal data) from the median, and also more than `minRelative` of the median from it:
    /// on very tight data (MAD of a few tenths of a percent) a 1% wobble is not an outlier.
    public static func madOutliers(_ xs: [Double], k: Double = 3, minRelative: Double = 0.01) -> [Int] {
        guard !xs.isEmpty else { return [] }
        let m = median(xs)
        let limit = Swift.max(k * 1.4826 * medianAbsoluteDeviation(xs), minRelative * abs(m))
        guard limit > 0 else { return [] }
        return xs.indices.filter { abs(xs[$0] - m) > limit }
    }
}
