import Foundation
import SysCostModel

extension PerfAccess {
    /// What this process may count, read from the host.
    public static func current(host: HostSystem = .live) -> PerfAccess {
        let paranoid = host.read("/proc/sys/kernel/perf_event_paranoid").flatMap { Int($0.trimmed) }
        let status = host.read("/proc/self/status") ?? ""
        let privileged = status.contains("CapEff:") ? privileged(status: status) : geteuid() == 0
        return decide(paranoid: paranoid, privileged: privileged)
    }
}
