import CSysCost
import Foundation
import SysCostModel

/// One timed batch: `iterations` runs of a loop between fenced clock and TSC reads.
struct Batch {
    let iterations: Int
    let ns: UInt64
    let cycles: UInt64

    var nsPerOp: Double { Double(ns) / Double(iterations) }
    var cyclesPerOp: Double { Double(cycles) / Double(iterations) }

    static func time(_ loop: sc_loop_fn, _ ctx: UnsafeMutablePointer<sc_ctx>, iterations: Int) -> Batch {
        var t = sc_batch_time()
        sc_time_batch(loop, ctx, UInt64(iterations), &t)
        return Batch(iterations: iterations, ns: t.ns, cycles: t.cycles)
    }

    /// Grows the iteration count until one batch lasts at least `minimumNs`; the batches run
    /// on the way double as warm-up. Returns the count.
    /// `stop` ends it early (the count so far), as a stop request does every phase.
    static func calibrate(_ loop: sc_loop_fn, _ ctx: UnsafeMutablePointer<sc_ctx>, minimumNs: Double, stop: StopSource = .signals) -> Int {
        var n = 1
        while true {
            let batch = time(loop, ctx, iterations: n)
            if Double(batch.ns) >= minimumNs || ctx.pointee.error != 0 || stop.requested() { return n }
            // Aim 20% past the target, growing at least 2× and at most 100× per step.
            let factor = Double(batch.ns) > 0 ? minimumNs * 1.2 / Double(batch.ns) : 100
            n = Int((Double(n) * Swift.min(Swift.max(factor, 2), 100)).rounded(.up))
        }
    }
}

/// The TSC's frequency, measured against CLOCK_MONOTONIC_RAW over `durationNs`.
public enum TSCCalibration {
    public static func frequencyHz(durationNs: UInt64 = 20_000_000) -> Double {
        let ns0 = sc_clock_raw_ns(), c0 = sc_tsc_begin()
        var ns1 = ns0
        while ns1 - ns0 < durationNs { ns1 = sc_clock_raw_ns() }
        let c1 = sc_tsc_end()
        return Double(c1 - c0) / (Double(ns1 - ns0) / 1e9)
    }
}
