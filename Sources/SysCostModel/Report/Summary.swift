import Foundation
import SysCostStatistics

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
    /// The 10th percentile: the undisturbed cost (`Estimator.undisturbed`), with its
    /// order-statistic 95% interval (nil below 36 samples, where none exists). Nil in reports
    /// from before it was recorded.
    public var p10: Double?
    public var p10CI95Low: Double?
    public var p10CI95High: Double?

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
        let undisturbed = Statistics.quantileConfidenceInterval(sorted: sorted, Estimator.undisturbed.quantile)
        p10 = Estimator.undisturbed.value(sorted: sorted)
        p10CI95Low = undisturbed?.lowerBound
        p10CI95High = undisturbed?.upperBound
    }
}
