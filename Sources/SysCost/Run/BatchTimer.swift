import CSysCost
import Foundation
import SysCostModel

/// One timed batch: `iterations` runs of a loop between fenced clock and TSC reads.
struct Batch {
    let iterations: Int
    /// The ops' time: the whole batch, or the timed parts of ops that time only part of themselves.
    let ns: UInt64
    let cycles: UInt64
    /// The whole batch, what calibration aims at.
    let wallNs: UInt64

    init(iterations: Int, ns: UInt64, cycles: UInt64, wallNs: UInt64? = nil) {
        self.iterations = iterations; self.ns = ns; self.cycles = cycles; self.wallNs = wallNs ?? ns
    }

    /// A batch as C timed it: where its ops timed parts of themselves, those parts (and the TSC
    /// cycles in the same share of the batch).
    init(iterations: Int, _ t: sc_batch_time) {
        guard t.part_ns > 0, t.ns > 0 else {
            self.init(iterations: iterations, ns: t.ns, cycles: t.cycles)
            return
        }
        let share = Double(t.part_ns) / Double(t.ns)
        self.init(iterations: iterations, ns: t.part_ns, cycles: UInt64((Double(t.cycles) * share).rounded()), wallNs: t.ns)
    }

    var nsPerOp: Double { Double(ns) / Double(iterations) }
    var cyclesPerOp: Double { Double(cycles) / Double(iterations) }

    static func time(_ loop: sc_loop_fn, _ ctx: UnsafeMutablePointer<sc_ctx>, iterations: Int) -> Batch {
        var t = sc_batch_time()
        sc_time_batch(loop, ctx, UInt64(iterations), &t)
        return Batch(iterations: iterations, t)
    }

    /// Grows the iteration count until one batch lasts at least `minimumNs`; the batches run
    /// on the way double as warm-up. Returns the count.
    /// `stop` ends it early (the count so far), as a stop request does every phase.
    static func calibrate(_ loop: sc_loop_fn, _ ctx: UnsafeMutablePointer<sc_ctx>, minimumNs: Double, stop: StopSource = .signals) -> Int {
        var n = 1
        while true {
            let batch = time(loop, ctx, iterations: n)
            if Double(batch.wallNs) >= minimumNs || ctx.pointee.error != 0 || stop.requested() { return n }
            // Aim 20% past the target, growing at least 2× and at most 100× per step.
            let factor = batch.wallNs > 0 ? minimumNs * 1.2 / Double(batch.wallNs) : 100
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
