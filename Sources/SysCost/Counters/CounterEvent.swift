import CSysCost
import Foundation
import SysCostModel

/// A counter a run asked for: the name as the user wrote it and libpfm4's encoding of it.
public struct CounterEvent: Equatable, Sendable {
    public let name: CounterName
    public let encoding: EventEncoding

    public init(name: CounterName, encoding: EventEncoding) { self.name = name; self.encoding = encoding }

    /// `--counters default`: the user/kernel split of cycles and instructions, the misses a
    /// switch causes, and the software events every machine has.
    public static let defaultNames: [CounterName] = [
        "cycles:u", "cycles:k", "instructions:u", "instructions:k", "cache-misses", "L1-dcache-load-misses",
        "dTLB-load-misses", "branch-misses", "task-clock", "context-switches", "page-faults",
    ]

    /// Parses a comma-separated list (`default` expands in place), encoding each name; an
    /// unknown name throws libpfm4's message.
    public static func parseList(_ text: String) throws -> [CounterEvent] {
        var names: [CounterName] = []
        for part in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !part.isEmpty {
            for name in part == "default" ? defaultNames : [CounterName(part)] where !names.contains(name) { names.append(name) }
        }
        return try names.map { CounterEvent(name: $0, encoding: try EventEncoder.encode($0.rawValue)) }
    }

    /// A software event, encoded without libpfm4 (the runner always counts context switches
    /// of a ping-pong).
    static func software(_ name: CounterName, _ config: perf_sw_ids) -> CounterEvent {
        CounterEvent(name: name, encoding: EventEncoding(
            type: EventEncoding.typeSoftware, config: UInt64(config.rawValue), config1: 0, config2: 0,
            excludeUser: false, excludeKernel: false, excludeHv: true, canonical: name.rawValue))
    }
    static let contextSwitches = software(.contextSwitches, PERF_COUNT_SW_CONTEXT_SWITCHES)

    /// Software events that only ever happen in the kernel: counted in user mode they read 0.
    static let kernelSideSoftware: Set<UInt64> = [
        UInt64(PERF_COUNT_SW_CONTEXT_SWITCHES.rawValue), UInt64(PERF_COUNT_SW_CPU_MIGRATIONS.rawValue),
        11,  // PERF_COUNT_SW_CGROUP_SWITCHES (5.13+)
    ]
    /// Clocks: they count the task's time whatever the mode bits say.
    static let clocks: Set<UInt64> = [UInt64(PERF_COUNT_SW_CPU_CLOCK.rawValue), UInt64(PERF_COUNT_SW_TASK_CLOCK.rawValue)]

    /// What to open for this event under `access`, or why it cannot be counted.
    public enum Plan: Equatable, Sendable {
        case open(note: String?)
        case unavailable(String)
    }

    public func plan(under access: PerfAccess) -> Plan {
        switch access.mode {
        case .full: return .open(note: nil)
        case .off: return .unavailable(access.note ?? "perf events are off")
        case .userOnly:
            let paranoid = access.paranoid.map(String.init) ?? "?"
            let lift = "run as root, grant CAP_PERFMON, or set kernel.perf_event_paranoid=1"
            if encoding.kernelOnly {
                return .unavailable("counts kernel mode only, and with perf_event_paranoid \(paranoid) and no CAP_PERFMON only user mode may be counted; \(lift)")
            }
            if encoding.isSoftware && Self.kernelSideSoftware.contains(encoding.config) {
                return .unavailable("happens in the kernel only, and with perf_event_paranoid \(paranoid) and no CAP_PERFMON only user mode may be counted (it would read 0); \(lift)")
            }
            if encoding.isSoftware && Self.clocks.contains(encoding.config) { return .open(note: nil) }
            return .open(note: "user mode only (perf_event_paranoid \(paranoid), no CAP_PERFMON)")
        }
    }

    /// The perf_event_attr to open: the encoding, user mode only under a restricted `access`,
    /// read as a group with the times enabled and running (for scaling); a group's leader
    /// starts disabled, so the group counts only between the runner's enable and disable.
    public func attr(under access: PerfAccess, leader: Bool) -> perf_event_attr {
        var attr = perf_event_attr()
        attr.size = UInt32(MemoryLayout<perf_event_attr>.size)
        attr.type = encoding.type
        attr.config = encoding.config
        attr.config1 = encoding.config1
        attr.config2 = encoding.config2
        attr.exclude_user = encoding.excludeUser ? 1 : 0
        attr.exclude_kernel = encoding.excludeKernel || access.mode != .full ? 1 : 0
        attr.exclude_hv = 1
        attr.read_format = UInt64(PERF_FORMAT_GROUP.rawValue | PERF_FORMAT_TOTAL_TIME_ENABLED.rawValue
                                  | PERF_FORMAT_TOTAL_TIME_RUNNING.rawValue)
        attr.disabled = leader ? 1 : 0
        return attr
    }
}
