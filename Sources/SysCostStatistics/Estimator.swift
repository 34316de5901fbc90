import Foundation

/// Which figure of a benchmark's rounds stands for its cost.
///
/// Noise on a shared host only ever adds time, and it comes in phases of seconds. The median
/// of the rounds moves with the phases a run happened to land in; a low quantile of rounds
/// spread over seconds reads the fast phases, which are the undisturbed cost. Measured on this
/// project's VMs (README, "Steady numbers"): over ten single-benchmark runs of
/// syscall/getppid/raw, read at 15 to 120 rounds, the 10th percentile spread 0.4–1.0 %
/// (max/min), the 25th 0.6–1.9 %, the median 1.7–9.0 %; the minimum was as steady as the 10th
/// percentile but has no interval at all and follows one lucky batch.
public enum Estimator: String, Codable, CaseIterable, Sendable {
    /// The 10th percentile of the rounds: the undisturbed cost.
    case undisturbed
    /// The median of the rounds: the cost as the run met it, noise included.
    case median

    /// The quantile of the rounds this estimator reads.
    public var quantile: Double {
        switch self {
        case .undisturbed: return 0.10
        case .median: return 0.5
        }
    }

    /// "p10 (undisturbed)", "median".
    public var label: String {
        switch self {
        case .undisturbed: return "p10 (undisturbed)"
        case .median: return "median"
        }
    }

    /// The estimate from `samples` (any order); nil when there are none.
    public func value(_ samples: [Double]) -> Double? {
        samples.isEmpty ? nil : Statistics.quantile(sorted: samples.sorted(), quantile)
    }

    /// The estimate from sorted samples.
    public func value(sorted: [Double]) -> Double { Statistics.quantile(sorted: sorted, quantile) }

    /// The estimate's distribution-free 95% interval from sorted samples; nil where the
    /// samples are too few to give one (6 for the median, 36 for the 10th percentile).
    public func interval(sorted: [Double]) -> ClosedRange<Double>? {
        Statistics.quantileConfidenceInterval(sorted: sorted, quantile)
    }
}
