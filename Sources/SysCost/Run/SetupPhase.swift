import CSysCost
import Foundation
import SysCostModel
import SysCostStatistics

/// Everything done on the pinned CPU before the first timed batch: warm-up, the seccomp
/// filter, the environment, the TSC's frequency.
struct SetupPhase {
    var environment: EnvironmentInfo
    /// TSC ticks per second; nil where the TSC is not invariant.
    var tscHz: Double?

    static func run(_ plan: RunPlan, cpu: Int, host: HostSystem, stop: StopSource = .signals) throws -> SetupPhase {
        warmUp(milliseconds: plan.warmupMs, stop: stop)
        let installed = try plan.seccomp.map { try install($0, cpu: cpu) }
        var environment = EnvironmentCapture.capture(host: host)
        let tscHz: Double? = environment.tsc.invariant ? TSCCalibration.frequencyHz(durationNs: plan.tscCalibrationNs) : nil
        environment.tsc.frequencyHz = tscHz
        environment.tsc.calibratedAgainst = tscHz == nil ? nil : "CLOCK_MONOTONIC_RAW"
        environment.seccomp.installed = installed
        environment.host = plan.hostState
        return SetupPhase(environment: environment, tscHz: tscHz)
    }

    /// Keeps the CPU entering the kernel for `milliseconds` before measuring. A CPU that was
    /// idle runs slow for a while after it wakes (seen here: getppid at ~143 ns for the first
    /// ~70 ms of a loop, then ~117 ns), and a batch that lands in that phase is an outlier.
    /// A stop request ends it within a thousand calls (about 0.1 ms).
    static func warmUp(milliseconds: Double, stop: StopSource = .signals) {
        let ctx = Fixture()
        let end = sc_clock_raw_ns() + UInt64(milliseconds * 1e6)
        while sc_clock_raw_ns() < end && !stop.requested() { sc_loop_invalid_raw(ctx.ctx, 1000) }
    }

    /// Installs `filter` on this thread, timing raw getppid just before and after.
    static func install(_ filter: SeccompFilter, cpu: Int) throws -> EnvironmentInfo.SeccompInstalled {
        func probe() -> Double {
            let ctx = Fixture()
            let n = Batch.calibrate(sc_loop_getppid_raw, ctx.ctx, minimumNs: 5e6)
            return Statistics.median((0..<9).map { _ in Batch.time(sc_loop_getppid_raw, ctx.ctx, iterations: n).nsPerOp })
        }
        var slope: SeccompSlope?
        if case .argumentReading = filter { slope = try SeccompSlope.measure(cpu: cpu) }
        let before = probe()
        try filter.install()
        let after = probe()
        return .init(spec: filter.description, kind: filter.kind, instructions: filter.program.count,
                     getppidBeforeNs: before, getppidAfterNs: after, costPerCallNs: after - before,
                     costPerInstructionNs: slope?.perInstructionNs, slope: slope)
    }
}
