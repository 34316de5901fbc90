import Foundation
import SysCostStatistics

/// A figure derived from several results of one run, with its interval: a combination (a
/// difference, a ratio) of each result's undisturbed cost (`Estimator.undisturbed`, the 10th
/// percentile of its rounds), and a 95% percentile interval from a paired bootstrap that
/// resamples whole rounds. In an interleaved run round i of every benchmark was taken within
/// the same few milliseconds, so a slow phase the rounds share stays shared in every resample
/// and cancels in the combination; noise of one batch alone (it only adds time) is what the
/// undisturbed cost leaves out.
///
/// Why not the median over rounds of a per-round ratio: noise that hits one benchmark's batch
/// and not the other's does not cancel in a round, and since it only adds, the median ratio
/// leans toward the noisier side. Five runs of getppid against ENOSYS here gave per-round
/// median ratios of 1.391–1.452 (4.4% apart) and ratios of undisturbed costs of 1.394–1.401
/// (0.5%). The interval is a percentile bootstrap, so its 95% is nominal; simulated on
/// rounds with shared slow phases and batch noise that only adds, it covered the true value
/// 93–95% of the time at 15 rounds and 95–98% at 40 (`thePairedIntervalCoversTheTruth`).
/// The bootstrap itself is `PairedBootstrap`, in the statistics target.
public struct PairedEstimate: Codable, Equatable, Sendable {
    public var value: Double
    /// The 95% paired-bootstrap interval; nil with fewer than 6 rounds.
    public var low: Double?
    public var high: Double?
    /// Rounds paired.
    public var rounds: Int

    public init(value: Double, low: Double?, high: Double?, rounds: Int) {
        self.value = value; self.low = low; self.high = high; self.rounds = rounds
    }

    /// `combine` of the undisturbed costs of `series` (one array of samples per result, in
    /// the order taken), over the rounds all of them have; nil when there is no round or the
    /// run was not interleaved (its rounds are not simultaneous, so nothing pairs).
    public static func over(_ series: [[Double]], interleaved: Bool, _ combine: ([Double]) -> Double) -> PairedEstimate? {
        guard interleaved, let paired = PairedBootstrap.combined(series, estimator: .undisturbed, combine) else { return nil }
        return PairedEstimate(value: paired.value, low: paired.interval?.lowerBound, high: paired.interval?.upperBound,
                              rounds: paired.rounds)
    }

    /// Whether the interval excludes `zero` (0 for a difference, 1 for a ratio): only then is
    /// the figure's sign a finding.
    public func excludes(_ zero: Double) -> Bool {
        guard let low, let high else { return false }
        return low > zero || high < zero
    }

    /// "49.4 ns (47.9…51.0)", or "below noise (−3.1…+2.4 ns)" when the interval spans zero,
    /// or "below noise (no interval: 4 rounds)" without one. A difference clearly below zero
    /// is said as its size after `negative` ("the thread costs 12.3 ns more (8.1…15.2)"):
    /// a saving is never printed negative, a cost never with its sign flipped.
    public func differenceText(unit: String = "ns", negative: String = "less by") -> String {
        guard let low, let high else { return "below noise (no interval: \(rounds) rounds)" }
        if !excludes(0) { return "below noise (\(signed(low))…\(signed(high)) \(unit))" }
        if value < 0 { return "\(negative) \(Format.ns(-value)) \(unit) (\(Format.ns(-high))…\(Format.ns(-low)))" }
        return "\(Format.ns(value)) \(unit) (\(Format.ns(low))…\(Format.ns(high)))"
    }

    /// "19.4× the null syscall (19.1…19.7)", "within noise of the null syscall (0.98…1.03×)"
    /// when the interval spans 1, or the ratio with why it has no interval.
    public func ratioText(_ what: String) -> String {
        func x(_ v: Double) -> String { String(format: abs(v) < 10 ? "%.2f" : "%.1f", v) }
        guard let low, let high else { return "\(x(value))× \(what) (no interval: \(rounds) rounds)" }
        if !excludes(1) { return "within noise of \(what) (\(x(low))…\(x(high))×)" }
        return "\(x(value))× \(what) (\(x(low))…\(x(high)))"
    }

    private func signed(_ x: Double) -> String { (x >= 0 ? "+" : "−") + Format.ns(abs(x)) }
}
