import Foundation

/// A figure derived from several results of one run, with its 95% interval: the median over
/// rounds of a per-round combination (a difference, a ratio) of the results' samples. In an
/// interleaved run round i of every benchmark was taken within the same few milliseconds, so
/// the host's slow phases, which move every absolute figure together, cancel in the pair.
public struct PairedEstimate: Codable, Equatable, Sendable {
    public var value: Double
    /// The median's distribution-free 95% interval over the rounds; nil with fewer than 6.
    public var low: Double?
    public var high: Double?
    /// Rounds paired.
    public var rounds: Int

    public init(value: Double, low: Double?, high: Double?, rounds: Int) {
        self.value = value; self.low = low; self.high = high; self.rounds = rounds
    }

    /// The per-round `combine` of `series` (one array of samples per result, in the order
    /// taken), over the rounds all of them have; nil when there is no round or the run was not
    /// interleaved (its rounds are not simultaneous, so nothing pairs).
    public static func over(_ series: [[Double]], interleaved: Bool, _ combine: ([Double]) -> Double) -> PairedEstimate? {
        guard interleaved, let rounds = series.map(\.count).min(), rounds > 0 else { return nil }
        let values = (0..<rounds).map { i in combine(series.map { $0[i] }) }.sorted()
        let ci = Statistics.medianConfidenceInterval(sorted: values)
        return PairedEstimate(value: Statistics.quantile(sorted: values, 0.5), low: ci?.lowerBound, high: ci?.upperBound,
                              rounds: rounds)
    }

    /// Whether the interval excludes `zero` (0 for a difference, 1 for a ratio): only then is
    /// the figure's sign a finding.
    public func excludes(_ zero: Double) -> Bool {
        guard let low, let high else { return false }
        return low > zero || high < zero
    }

    /// "49.4 ns (47.9…51.0)", or "below noise (−3.1…+2.4 ns)" when the interval spans zero,
    /// or "below noise (no interval: 4 rounds)" without one.
    public func differenceText(unit: String = "ns") -> String {
        guard let low, let high else { return "below noise (no 95% interval: \(rounds) rounds)" }
        if !excludes(0) { return "below noise (\(signed(low))…\(signed(high)) \(unit))" }
        return "\(Format.ns(value)) \(unit) (\(Format.ns(low))…\(Format.ns(high)))"
    }

    private func signed(_ x: Double) -> String { (x >= 0 ? "+" : "−") + Format.ns(abs(x)) }
}
