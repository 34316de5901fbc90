import Foundation

/// Order statistics and moments of a benchmark's rounds: the quantiles every figure reads,
/// their distribution-free intervals, and the spread measures behind the warnings.
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
        quantileConfidenceInterval(sorted: xs, 0.5, level: level)
    }

    /// Distribution-free confidence interval of quantile `q` from order statistics: ranks l
    /// and u (1-based) with P(B < l) and P(B ≥ u) each at most (1 − level)/2, B the number of
    /// samples below the quantile (binomial(n, q)), so [x(l), x(u)] covers it with at least
    /// `level`. Nil when no such pair exists in the data: a low quantile needs more samples
    /// than the median (the 10th percentile, 36 for 95%).
    public static func quantileConfidenceInterval(sorted xs: [Double], _ q: Double, level: Double = 0.95) -> ClosedRange<Double>? {
        let n = xs.count
        precondition(n > 0, "confidence interval of no data")
        guard q > 0, q < 1 else { return nil }
        // cdf(k) = P(B <= k), in log space to stay finite for large n, over the ranks where B
        // has any mass: within 12 standard deviations of nq (beyond, each tail holds less than
        // 1e-30), so a million rounds cost a few thousand terms, not a million.
        let sd = (Double(n) * q * (1 - q)).squareRoot()
        let first = Swift.max(0, Int((Double(n) * q - 12 * sd - 1).rounded(.down)))
        let last = Swift.min(n, Int((Double(n) * q + 12 * sd + 1).rounded(.up)))
        var cdf = [Double](repeating: 0, count: last - first + 1)
        let logN1: Double = Foundation.lgamma(Double(n + 1)), logQ = log(q), log1Q = log(1 - q)
        var sum = 0.0
        for k in first...last {
            let logChoose: Double = logN1 - lgamma(Double(k + 1)) - lgamma(Double(n - k + 1))
            let logPmf: Double = logChoose + Double(k) * logQ + Double(n - k) * log1Q
            sum += exp(logPmf)
            cdf[k - first] = sum
        }
        func at(_ k: Int) -> Double { k < first ? 0 : k > last ? 1 : cdf[k - first] }
        let tail = (1 - level) / 2 + 1e-12
        // Lower rank: the largest l with P(B <= l - 1) <= tail; upper: the smallest u with P(B >= u) <= tail.
        var l = first
        while l < n, at(l) <= tail { l += 1 }
        var u = Swift.min(n + 1, last + 2)
        while u > 1, 1 - at(u - 2) <= tail { u -= 1 }
        guard l >= 1, u <= n, l <= u else { return nil }
        return xs[l - 1]...xs[u - 1]
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

extension Statistics {
    /// Ranks 1…n, ties given their mean rank (for Spearman's ρ as Pearson's r of ranks).
    public static func ranks(_ xs: [Double]) -> [Double] {
        let order = xs.indices.sorted { xs[$0] < xs[$1] }
        var out = Array(repeating: 0.0, count: xs.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && xs[order[j + 1]] == xs[order[i]] { j += 1 }
            let rank = Double(i + j) / 2 + 1
            for k in i...j { out[order[k]] = rank }
            i = j + 1
        }
        return out
    }

    /// Pearson's correlation of two series of one length; nil when either is constant or short.
    public static func pearson(_ xs: [Double], _ ys: [Double]) -> Double? {
        guard xs.count == ys.count, xs.count > 2 else { return nil }
        let mx = mean(xs), my = mean(ys)
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for (x, y) in zip(xs, ys) { sxy += (x - mx) * (y - my); sxx += (x - mx) * (x - mx); syy += (y - my) * (y - my) }
        guard sxx > 0, syy > 0 else { return nil }
        let r = sxy / (sxx * syy).squareRoot()
        return r.isFinite ? r : nil
    }
}
