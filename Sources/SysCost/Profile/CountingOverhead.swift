import CSysCost
import Foundation
import SysCostModel

/// What counting a command's system calls costs each call: while any syscall tracepoint is in
/// use, every task's system calls take the kernel's slow entry path. Measured on the calling
/// thread with getppid, batch against batch, with a `sys_enter_getppid` counter open and after
/// it is closed (a disabled counter still keeps the slow path on, so only closing shows it).
public enum CountingOverhead {
    /// Why it cannot be measured now, or nil: while an earlier profile's counters are still
    /// being released (`syscost-release`), the slow path stays on for every task and the
    /// "without" half would not be without.
    public static func blocked(host: HostSystem = .live) -> String? {
        let busy = (host.list("/proc") ?? []).contains { entry in
            entry.allSatisfy(\.isNumber) && host.read("/proc/\(entry)/comm")?.hasPrefix("syscost-release") == true
        }
        return busy ? "an earlier profile's counters are still being released (syscost-release): every call takes the slow path until it ends" : nil
    }

    /// ns per call, paired over `pairs` rounds of ~10 ms batches; nil when the tracepoint
    /// cannot be opened.
    public static func perCall(tracefs: Tracefs, cpu: Int?, host: HostSystem = .live, pairs: Int = 7) -> PairedEstimate? {
        guard let id = tracefs.syscalls["getppid"] else { return nil }
        let measure = { () -> PairedEstimate? in
            let fixture = Fixture()
            let iterations = Batch.calibrate(sc_loop_getppid_raw, fixture.ctx, minimumNs: 10e6)
            var with: [Double] = [], without: [Double] = []
            for _ in 0..<pairs {
                let fd = host.perf.open(Profiler.attr(type: 2, config: id, onExec: false), 0, -1)
                guard fd >= 0 else { return nil }
                with.append(Batch.time(sc_loop_getppid_raw, fixture.ctx, iterations: iterations).nsPerOp)
                host.perf.close(fd)
                without.append(Batch.time(sc_loop_getppid_raw, fixture.ctx, iterations: iterations).nsPerOp)
            }
            return PairedEstimate.over([with, without], interleaved: true) { $0[0] - $0[1] }
        }
        guard let cpu else { return measure() }
        return (try? CPUSet.withPinned(to: cpu, measure)) ?? nil
    }
}
