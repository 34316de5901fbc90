import Foundation

/// Per-call latencies of one benchmark: each op timed on its own between fenced TSC reads,
/// the measured cost of an empty timed pair subtracted, recorded in an HDR histogram.
public struct Distribution: Codable, Equatable, Sendable {
    public var unit: String = "ns"
    public var calls: Int
    /// The mean cost of an empty fenced pair, already subtracted from every call.
    public var timerOverheadNs: Double
    /// The smallest step the TSC was seen to take: the resolution of every figure here
    /// (AMD Zen CPUs advance the TSC in steps of 10 ns, Intel's by 1 cycle).
    public var tscStepNs: Double
    public var p50: Double
    public var p90: Double
    public var p99: Double
    public var p999: Double
    public var max: Double
    /// The histogram's recorded buckets: calls at or below `upToNs` (and above the previous bucket).
    public var buckets: [Bucket]

    public struct Bucket: Codable, Equatable, Sendable {
        public var upToNs: Double
        public var count: Int

        public init(upToNs: Double, count: Int) {
            self.upToNs = upToNs; self.count = count
        }
    }

    public init(unit: String = "ns", calls: Int, timerOverheadNs: Double, tscStepNs: Double, p50: Double, p90: Double, p99: Double, p999: Double, max: Double, buckets: [Bucket]) {
        self.unit = unit; self.calls = calls; self.timerOverheadNs = timerOverheadNs
        self.tscStepNs = tscStepNs; self.p50 = p50; self.p90 = p90; self.p99 = p99; self.p999 = p999
        self.max = max; self.buckets = buckets
    }
}
