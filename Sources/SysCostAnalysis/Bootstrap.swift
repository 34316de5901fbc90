import Foundation
import SysCostModel

/// A percentile bootstrap of the ratio of two medians (new / base): both sample sets are
/// resampled with replacement. Seeded, so the same two reports always give the same interval.
public enum Bootstrap {
    public static let defaultResamples = 2000

    public static func medianRatioInterval(base: [Double], new: [Double], resamples: Int = defaultResamples,
                                           confidence: Double = 0.95, seed: UInt64 = 0x5eed) -> ClosedRange<Double>? {
        guard !base.isEmpty, !new.isEmpty else { return nil }
        var rng = SplitMix64(seed: seed)
        var ratios: [Double] = []
        ratios.reserveCapacity(resamples)
        var a = base, b = new
        for _ in 0..<resamples {
            for k in a.indices { a[k] = base[Int(rng.next() % UInt64(base.count))] }
            for k in b.indices { b[k] = new[Int(rng.next() % UInt64(new.count))] }
            let denominator = Statistics.median(a)
            guard denominator > 0 else { continue }
            ratios.append(Statistics.median(b) / denominator)
        }
        guard !ratios.isEmpty else { return nil }
        ratios.sort()
        let tail = (1 - confidence) / 2
        return Statistics.quantile(sorted: ratios, tail)...Statistics.quantile(sorted: ratios, 1 - tail)
    }
}
