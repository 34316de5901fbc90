import Foundation
import SysCostModel

/// The kernel's syscall tracepoints, as tracefs lists them: one `sys_enter_<name>` event per
/// system call, each with the id perf_event_open counts it by.
public struct Tracefs: Sendable {
    /// Where tracefs is mounted.
    public var root: String
    /// Set when syscost mounted it (the report says so).
    public var mountedBySyscost: Bool
    /// Syscall name → tracepoint id.
    public var syscalls: [String: UInt64]

    static let candidates = ["/sys/kernel/tracing", "/sys/kernel/debug/tracing"]

    /// Finds tracefs (mounting it on /sys/kernel/tracing when it is not mounted and this
    /// process may), and reads every syscall's enter tracepoint id; or why it cannot.
    public static func open(host: HostSystem = .live, mount: (String) -> Int32 = Tracefs.mount) -> Result<Tracefs, ProfileUnavailable> {
        for root in candidates where host.list(root + "/events/syscalls") != nil {
            return read(root: root, mounted: false, host: host)
        }
        let target = candidates[0]
        let e = mount(target)
        guard e == 0 else {
            return .failure(ProfileUnavailable(
                "syscall counts need tracefs, which is not mounted, and mounting it on \(target) failed: \(String(cString: strerror(e)))"
                + (e == EPERM ? " (run as root, or mount it: mount -t tracefs nodev \(target))" : "")))
        }
        return read(root: target, mounted: true, host: host)
    }

    static func read(root: String, mounted: Bool, host: HostSystem) -> Result<Tracefs, ProfileUnavailable> {
        let events = root + "/events/syscalls"
        guard let names = host.list(events) else {
            return .failure(ProfileUnavailable("\(events) cannot be listed: this kernel has no syscall tracepoints (CONFIG_FTRACE_SYSCALLS) or tracefs is not readable"))
        }
        var syscalls: [String: UInt64] = [:]
        for entry in names where entry.hasPrefix("sys_enter_") {
            guard let text = host.read("\(events)/\(entry)/id"),
                  let id = UInt64(text.trimmingCharacters(in: .whitespacesAndNewlines)) else { continue }
            syscalls[String(entry.dropFirst("sys_enter_".count))] = id
        }
        guard !syscalls.isEmpty else {
            return .failure(ProfileUnavailable("no syscall tracepoint id could be read under \(events) (tracefs ids are readable by root only)"))
        }
        return .success(Tracefs(root: root, mountedBySyscost: mounted, syscalls: syscalls))
    }

    /// mount -t tracefs nodev TARGET: 0 or the errno.
    public static func mount(_ target: String) -> Int32 {
        Glibc.mount("nodev", target, "tracefs", 0, nil) == 0 ? 0 : errno
    }
}

/// Why part of a profile cannot be counted, in words a user can act on.
public struct ProfileUnavailable: Error, Sendable, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}
