import Foundation

/// What this process may count, from perf_event_paranoid and its capabilities.
public struct PerfAccess: Codable, Equatable, Sendable {
    public enum Mode: String, Codable, Sendable {
        /// User and kernel mode, any event.
        case full
        /// User mode only: kernel-mode and kernel-side events are unavailable.
        case userOnly = "user-only"
        /// No perf events at all.
        case off
    }
    /// /proc/sys/kernel/perf_event_paranoid; nil when the kernel has no perf events.
    public var paranoid: Int?
    /// CAP_PERFMON or CAP_SYS_ADMIN in the effective set (root has both).
    public var privileged: Bool
    public var mode: Mode
    /// One line saying what is restricted and what would lift it; nil when nothing is.
    public var note: String?

    static let capSysAdmin: UInt64 = 21, capPerfmon: UInt64 = 38

    /// Whether a /proc/<pid>/status text shows CAP_PERFMON or CAP_SYS_ADMIN in CapEff.
    public static func privileged(status: String) -> Bool {
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("CapEff:") }),
              let bits = UInt64(line.dropFirst("CapEff:".count).trimmingCharacters(in: .whitespaces), radix: 16)
        else { return false }
        return bits & (1 << capPerfmon) != 0 || bits & (1 << capSysAdmin) != 0
    }

    /// The kernel's rules (kernel/events/core.c): without the capability, paranoid ≥ 2 allows
    /// user-mode counting of one's own tasks only, and Debian's paranoid 3 allows nothing.
    public static func decide(paranoid: Int?, privileged: Bool) -> PerfAccess {
        guard let paranoid else {
            return PerfAccess(paranoid: nil, privileged: privileged, mode: .off,
                              note: "counters off: this kernel has no perf events (/proc/sys/kernel/perf_event_paranoid is missing)")
        }
        if privileged || paranoid < 2 { return PerfAccess(paranoid: paranoid, privileged: privileged, mode: .full, note: nil) }
        if paranoid >= 3 {
            return PerfAccess(paranoid: paranoid, privileged: false, mode: .off,
                              note: "counters off: perf_event_paranoid is \(paranoid), which denies perf events to processes without CAP_PERFMON; run as root, grant CAP_PERFMON, or set kernel.perf_event_paranoid=2 (user mode) or 1 (both modes)")
        }
        return PerfAccess(paranoid: paranoid, privileged: false, mode: .userOnly,
                          note: "user mode only: perf_event_paranoid is \(paranoid) and this process lacks CAP_PERFMON, so kernel-mode counts and kernel-side events (context switches, migrations) are unavailable; run as root, grant CAP_PERFMON, or set kernel.perf_event_paranoid=1")
    }
}
