import Foundation

/// One counter on a result: a count per op, or why there is none. Never a made-up zero.
public struct CounterValue: Codable, Equatable, Sendable {
    public enum Status: String, Codable, CaseIterable, Sendable { case ok, unavailable }
    public var status: Status
    public var perOp: Double?
    /// time enabled / time running: above 1 when the kernel multiplexed the counter, and the
    /// count was scaled up by it.
    public var scaling: Double?
    public var reason: String?
    /// What limits an `ok` count (user mode only, under perf_event_paranoid 2).
    public var note: String?

    public static func ok(_ perOp: Double, scaling: Double = 1, note: String? = nil) -> CounterValue {
        CounterValue(status: .ok, perOp: perOp, scaling: scaling, reason: nil, note: note)
    }
    public static func unavailable(_ reason: String) -> CounterValue {
        CounterValue(status: .unavailable, perOp: nil, scaling: nil, reason: reason, note: nil)
    }
}
