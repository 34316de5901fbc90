import CSysCost
import Foundation
import Histogram
import SysCostModel

extension Distribution {
    /// Times `calls` single ops of `each` (after `calls / 10` untimed ones to warm up).
    /// `timer` is the empty pair's cost; `tscHz` converts cycles to ns.
    static func measure(_ each: sc_each_fn, _ ctx: UnsafeMutablePointer<sc_ctx>, calls: Int,
                        timer: TimerPair, tscHz: Double) -> Distribution {
        var cycles = [UInt64](repeating: 0, count: calls)
        cycles.withUnsafeMutableBufferPointer { buffer in
            each(ctx, buffer.baseAddress, UInt64(Swift.max(calls / 10, 1)))
            each(ctx, buffer.baseAddress, UInt64(calls))
        }
        var histogram = Histogram<UInt64>(highestTrackableValue: 1 << 40, numberOfSignificantValueDigits: .three)
        let overhead = UInt64(timer.meanCycles.rounded())
        for c in cycles { histogram.record(c > overhead ? c - overhead : 0) }
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
            var cycles = [UInt64](repeating: 0, count: calls)
            cycles.withUnsafeMutableBufferPointer { sc_each_empty(ctx.ctx, $0.baseAddress, UInt64(calls)) }
            meanCycles = Statistics.mean(cycles.map { Double($0) })  // not Double.init: that is init(bitPattern:)
            let distinct = Set(cycles).sorted()
            stepCycles = zip(distinct, distinct.dropFirst()).map { $1 - $0 }.min() ?? 1
        }
    }
}
