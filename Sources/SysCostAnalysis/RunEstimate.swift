import Foundation
import SysCostModel
import SysCostStatistics

extension Comparison {
    /// One run's rounds of one benchmark as a comparison reads them: the estimate, the exact
    /// bootstrap's log-moments, the rounds and their CV. A history works each out once per cell
    /// and compares every cell with its base from these alone.
    public struct RunEstimate: Sendable {
        public var value: Double
        public var moments: QuantileBootstrap.LogMoments?
        public var rounds: Int
        public var cv: Double
        /// Its order-statistic 95% interval (nil with too few rounds).
        public var interval: ClosedRange<Double>?
        /// The exact bootstrap variance of log(value) over the rounds: what the run's rounds
        /// show of its own uncertainty (nil with a value that is not positive).
        public var logVariance: Double? { moments.map { $0.standardDeviation * $0.standardDeviation } }

        /// Nil without rounds.
        public init?(_ samples: [Double], _ estimator: Estimator) {
            guard !samples.isEmpty else { return nil }
            let sorted = samples.sorted()
            value = estimator.value(sorted: sorted)
            moments = QuantileBootstrap.logMoments(sorted: sorted, quantile: estimator.quantile)
            rounds = sorted.count
            let mean = Statistics.mean(sorted)
            cv = mean == 0 ? 0 : Statistics.standardDeviation(sorted) / mean
            interval = estimator.interval(sorted: sorted)
        }
    }
}
