import CSysCost
import Foundation

/// One counter on a result: a count per op, or why there is none. Never a made-up zero.
public struct CounterValue: Codable, Equatable {
    public enum Status: String, Codable { case ok, unavailable }
    public var status: Status
    public var perOp: Double?
    /// time enabled / time running, when the kernel multiplexed the counter (1: never).
    public var scaling: Double?
    public var reason: String?

    public static func ok(_ perOp: Double, scaling: Double = 1) -> CounterValue {
        CounterValue(status: .ok, perOp: perOp, scaling: scaling, reason: nil)
    }
    public static func unavailable(_ reason: String) -> CounterValue {
        CounterValue(status: .unavailable, perOp: nil, scaling: nil, reason: reason)
    }
}

/// A software counter summed over several tasks (perf_event_open, one fd per task).
public final class CounterSource {
    private var fds: [Int32] = []
    /// Why a task's counter could not be opened, if one could not.
    public private(set) var unavailable: String?

    public init() {}
    deinit { for fd in fds { close(fd) } }

    /// Counts `config` (a PERF_COUNT_SW_*) for `pid` (0: the calling thread), user and kernel.
    public func add(software config: perf_sw_ids, pid: pid_t) {
        var fd = sc_perf_open_software(UInt64(config.rawValue), pid, 0)
        if fd == -EACCES || fd == -EPERM { fd = sc_perf_open_software(UInt64(config.rawValue), pid, 1) }
        guard fd >= 0 else {
            unavailable = "perf_event_open for task \(pid == 0 ? "self" : String(pid)): \(String(cString: strerror(-fd)))"
                + (fd == -EACCES ? " (perf_event_paranoid is \(EnvironmentCapture.read("/proc/sys/kernel/perf_event_paranoid")?.trimmed ?? "?"))" : "")
            return
        }
        fds.append(fd)
    }

    public func markUnavailable(_ reason: String) { unavailable = reason }

    /// The sum over all tasks, or nil when a counter is missing or unreadable.
    public func read() -> UInt64? {
        guard unavailable == nil else { return nil }
        var total: UInt64 = 0
        for fd in fds {
            let v = sc_perf_read(fd)
            guard v >= 0 else { return nil }
            total += UInt64(v)
        }
        return total
    }
}
