import CSysCost
import Foundation
import Histogram
import SysCostModel

extension Distribution {
    /// Calls timed per pass into a buffer that is then recorded and reused: memory stays
    /// bounded (0.5 MB) however many calls are timed (10 M calls kept whole took 182 MB).
    static let chunk = 65_536

    /// A pass's length is kept between these, so a stop request is seen within a fifth of a
    /// second however slow one op is.
    static let passNs: ClosedRange<UInt64> = 20_000_000...200_000_000

    /// Runs `each` over `calls` ops in passes of at most `chunk` (starting at 1,024, doubled
    /// while a pass is short, halved when it is long), handing each pass's cycles to `take`,
    /// until `stop` asks. Returns the ops done.
    @discardableResult
    static func inChunks(_ calls: Int, stop: StopSource = .signals, _ take: (UnsafeBufferPointer<UInt64>) -> Void,
                         _ each: (UnsafeMutablePointer<UInt64>, UInt64) -> Void) -> Int {
        var buffer = [UInt64](repeating: 0, count: Swift.min(Swift.max(calls, 1), chunk))
        var left = calls, pass = Swift.min(1024, buffer.count)
        while left > 0 && !stop.requested() {
            let n = Swift.min(left, pass)
            let start = sc_clock_raw_ns()
            buffer.withUnsafeMutableBufferPointer { b in
                each(b.baseAddress!, UInt64(n))
                take(UnsafeBufferPointer(rebasing: b[0..<n]))
            }
            left -= n
            let took = sc_clock_raw_ns() - start
            if took < passNs.lowerBound { pass = Swift.min(pass * 2, buffer.count) } else if took > passNs.upperBound { pass = Swift.max(pass / 2, 1) }
        }
        return calls - left
    }

    /// Times `calls` single ops of `each` (after `calls / 10` untimed ones to warm up), each
    /// pass recorded into the histogram before the next. `timer` is the empty pair's cost;
    /// `tscHz` converts cycles to ns.
    /// Nil when a stop request cut it short: no partial distribution is reported.
    static func measure(_ each: sc_each_fn, _ ctx: UnsafeMutablePointer<sc_ctx>, calls: Int,
                        timer: TimerPair, tscHz: Double, stop: StopSource = .signals) -> Distribution? {
        inChunks(Swift.max(calls / 10, 1), stop: stop, { _ in }) { each(ctx, $0, $1) }
        var histogram = Histogram<UInt64>(highestTrackableValue: 1 << 40, numberOfSignificantValueDigits: .three)
        let overhead = UInt64(timer.meanCycles.rounded())
        let done = inChunks(calls, stop: stop, { pass in for c in pass { histogram.record(c > overhead ? c - overhead : 0) } }) { each(ctx, $0, $1) }
        guard done == calls else { return nil }
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
