import Foundation

/// A combination (a difference, a ratio) of several series' estimates over the rounds they
/// share, with a percentile interval from a bootstrap that resamples whole rounds: round i of
/// every series is drawn together, so a slow phase the rounds share stays shared in every
/// resample and cancels in the combination. `PairedEstimate` is its figure in a report.
public enum PairedBootstrap {
    public struct Combined: Equatable, Sendable {
        public var value: Double
        /// The 95% interval; nil with fewer than 6 rounds, or when most resamples gave no
        /// finite combination.
        public var interval: ClosedRange<Double>?
        public var rounds: Int
    }

    /// `combine` of `estimator`'s value of each series, over the rounds all of them have; nil
    /// when there is none. Seeded by the data, so the same rounds always give the same interval.
    public static func combined(_ series: [[Double]], estimator: Estimator, resamples requested: Int = Resampling.paired,
                                _ combine: ([Double]) -> Double) -> Combined? {
        guard let rounds = series.map(\.count).min(), rounds > 0 else { return nil }
        let trimmed = series.map { Array($0.prefix(rounds)) }
        let value = combine(trimmed.map { estimator.value(sorted: $0.sorted()) })
        guard rounds >= 6 else { return Combined(value: value, interval: nil, rounds: rounds) }
        var rng = SplitMix64(seed: trimmed.joined().reduce(UInt64(0x9a17)) { $0 &* 31 &+ $1.bitPattern })
        let resamples = Resampling.count(requested, roundsPerResample: rounds * series.count)
        var combined: [Double] = []
        combined.reserveCapacity(resamples)
        var picked = [Double](repeating: 0, count: rounds)
        var rows = [Int](repeating: 0, count: rounds)
        for _ in 0..<resamples {
            for k in rows.indices { rows[k] = Int(rng.next() % UInt64(rounds)) }
            let values = trimmed.map { s -> Double in
                for (k, r) in rows.enumerated() { picked[k] = s[r] }
                return Selection.quantile(&picked, estimator.quantile)
            }
            let c = combine(values)
            if c.isFinite { combined.append(c) }
        }
        guard combined.count > resamples / 2 else { return Combined(value: value, interval: nil, rounds: rounds) }
        combined.sort()
        return Combined(value: value, interval: Statistics.quantile(sorted: combined, 0.025)...Statistics.quantile(sorted: combined, 0.975),
                        rounds: rounds)
    }
}
