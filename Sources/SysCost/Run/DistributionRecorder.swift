import CSysCost
import Foundation
import Histogram
import SysCostModel

extension Distribution {
    /// Calls timed per pass into a buffer that is then recorded and reused: memory stays
    /// bounded (0.5 MB) however many calls are timed (10 M calls kept whole took 182 MB).
    static let chunk = 65_536

    /// Runs `each` over `calls` ops in passes of at most `chunk`, handing each pass's cycles to `take`.
    static func inChunks(_ calls: Int, _ take: (UnsafeBufferPointer<UInt64>) -> Void,
                         _ each: (UnsafeMutablePointer<UInt64>, UInt64) -> Void) {
        var buffer = [UInt64](repeating: 0, count: Swift.min(Swift.max(calls, 1), chunk))
        var left = calls
        while left > 0 {
            let n = Swift.min(left, chunk)
            buffer.withUnsafeMutableBufferPointer { b in
                each(b.baseAddress!, UInt64(n))
                take(UnsafeBufferPointer(rebasing: b[0..<n]))
            }
            left -= n
        }
    }

    /// Times `calls` single ops of `each` (after `calls / 10` untimed ones to warm up), each
    /// pass recorded into the histogram before the next. `timer` is the empty pair's cost;
    /// `tscHz` converts cycles to ns.
    static func measure(_ each: sc_each_fn, _ ctx: UnsafeMutablePointer<sc_ctx>, calls: Int,
                        timer: TimerPair, tscHz: Double) -> Distribution {
        inChunks(Swift.max(calls / 10, 1), { _ in }) { each(ctx, $0, $1) }
        var histogram = Histogram<UInt64>(highestTrackableValue: 1 << 40, numberOfSignificantValueDigits: .three)
        let overhead = UInt64(timer.meanCycles.rounded())
        inChunks(calls, { pass in for c in pass { histogram.record(c > overhead ? c - overhead : 0) } }) { each(ctx, $0, $1) }
        let nsPerCycle = 1e9 / tscHz
        func ns(_ percentile: Double) -> Double { Double(histogram.valueAtPercentile(percentile)) * nsPerCycle }
        let buckets = histogram.recordedValues().map {
            Bucket(upToNs: Double($0.value) * nsPerCycle, count: Int($0.count))
        }
        return Distribution(calls: calls, timerOverheadNs: timer.meanCycles * nsPerCycle,
                            tscStepNs: Double(timer.stepCycles) * nsPerCycle, p50: ns(50), p90: ns(90),
                            p99: ns(99), p999: ns(99.9), max: Double(histogram.max) * nsPerCycle, buckets: buckets)
    }

    /// What an empty fenced pair measures. With a TSC that advances in steps, single pairs
    /// read 0, 1, 2 … steps; their mean still estimates the pair's cost without bias.
    struct TimerPair {
        var meanCycles: Double
        var stepCycles: UInt64

        init(calls: Int) {
            let ctx = Fixture()
            var sum = 0.0
            var distinct = Set<UInt64>()  // a few values: an empty pair reads a handful of steps
            Distribution.inChunks(calls, { pass in
                for c in pass { sum += Double(c); distinct.insert(c) }  // not Double.init(bitPattern:)
            }) { sc_each_empty(ctx.ctx, $0, $1) }
            meanCycles = sum / Double(Swift.max(calls, 1))
            let sorted = distinct.sorted()
            stepCycles = zip(sorted, sorted.dropFirst()).map { $1 - $0 }.min() ?? 1
        }
    }
}
