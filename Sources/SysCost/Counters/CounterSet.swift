import CSysCost
import Foundation
import SysCostModel

/// The counters of one benchmark: every event opened on every task the benchmark involves
/// (the measuring thread, and a ping-pong's peer), summed over the tasks. Per task, events
/// of one PMU form groups (the hardware events as many as fit the counters together); each
/// group counts only between `begin()` and `end()`.
public final class CounterSet {
    /// A failed read of a group: its errno.
    struct ReadFailure: Error { let code: Int32 }

    struct Group {
        let task: pid_t
        let leader: Int32
        /// Index into `events` of each member, in the order they joined (the read order).
        var members: [Int]
        var last: [UInt64]?
    }

    public let events: [CounterEvent]
    let access: PerfAccess
    let host: HostSystem
    private var groups: [Group] = []
    private var fds: [Int32] = []
    private var unavailable: [Int: String] = [:]
    private var notes: [Int: String] = [:]
    private var scaledTotals: [Double]
    private var maxScaling: [Double]

    /// Opens `events` on `tasks` (0: the calling thread); `describe` names a task in reasons.
    public init(events: [CounterEvent], tasks: [pid_t], access: PerfAccess, host: HostSystem = .live,
                describe: (pid_t) -> String = { $0 == 0 ? "the measuring thread" : "task \($0)" }) {
        self.events = events
        self.access = access
        self.host = host
        scaledTotals = Array(repeating: 0, count: events.count)
        maxScaling = Array(repeating: 1, count: events.count)
        for (i, event) in events.enumerated() {
            switch event.plan(under: access) {
            case .unavailable(let reason): unavailable[i] = reason
            case .open(let note): notes[i] = note
            }
        }
        for task in tasks { open(on: task, describe: describe) }
    }

    deinit { for fd in fds { host.perf.close(fd) } }

    private func open(on task: pid_t, describe: (pid_t) -> String) {
        var current: [String: Int] = [:]  // PMU → index in `groups` of the group being filled
        for (i, event) in events.enumerated() where unavailable[i] == nil {
            let pmu = Self.pmu(of: event.encoding)
            var fd: Int32 = -1
            if let g = current[pmu] {
                fd = host.perf.open(event.attr(under: access, leader: false), task, groups[g].leader)
                if fd >= 0 {
                    groups[g].members.append(i)
                    fds.append(fd)
                    continue
                }
                // Not with the others (the PMU has too few counters for the group): a group of its own.
            }
            fd = host.perf.open(event.attr(under: access, leader: true), task, -1)
            guard fd >= 0 else {
                unavailable[i] = Self.reason(errno: -fd, event: event, access: access, task: describe(task), pmus: PMUInventory(host: host))
                continue
            }
            fds.append(fd)
            groups.append(Group(task: task, leader: fd, members: [i]))
            current[pmu] = groups.count - 1
        }
    }

    /// The kernel PMU that counts an encoding. Only events of one PMU share a group: the
    /// kernel (6.18 here) re-enables a group's members of another PMU only the first time, so
    /// page-faults under a task-clock leader counted the first batch and then nothing.
    static func pmu(of e: EventEncoding) -> String {
        switch e.type {
        case EventEncoding.typeHardware, EventEncoding.typeHardwareCache, EventEncoding.typeRaw: return "cpu"
        case EventEncoding.typeSoftware:
            return CounterEvent.clocks.contains(e.config) ? "software-clock-\(e.config)" : "software"
        default: return "type-\(e.type)"
        }
    }

    /// Why perf_event_open refused an event, in words a user can act on.
    static func reason(errno code: Int32, event: CounterEvent, access: PerfAccess, task: String, pmus inventory: PMUInventory) -> String {
        let err = "perf_event_open for \(task): \(String(cString: strerror(code)))"
        if [ENOENT, EOPNOTSUPP, ENODEV].contains(code) && !event.encoding.isSoftware {
            let pmus = inventory.hardwarePMUs()
            if pmus.isEmpty {
                return "no hardware PMU: this kernel exposes none (/sys/bus/event_source/devices has only \(inventory.all().joined(separator: ", "))), as in a VM without a virtual PMU; \(err)"
            }
            return "the PMU (\(pmus.joined(separator: ", "))) does not support this \(event.encoding.kindDescription) event; \(err)"
        }
        switch code {
        case EACCES, EPERM:
            let paranoid = access.paranoid.map(String.init) ?? "?"
            return "denied: perf_event_paranoid is \(paranoid)\(access.privileged ? "" : " and this process lacks CAP_PERFMON") (a seccomp filter or an LSM may also deny it); \(err)"
        case EINVAL:
            return "the kernel rejected this encoding (\(event.encoding.canonical)); \(err)"
        case EMFILE, ENFILE:
            return "out of file descriptors; \(err)"
        case ESRCH:
            return "the task had gone; \(err)"
        default:
            return err
        }
    }

    /// Snapshot, then enable every group: call just before a batch, outside its timing.
    public func begin() {
        for g in groups.indices { groups[g].last = try? read(groups[g]).get() }
        for g in groups { _ = host.perf.enable(g.leader, true) }
    }

    /// Disable every group, then add what each counted since `begin()`, scaled when the
    /// kernel multiplexed it.
    public func end() {
        for g in groups { _ = host.perf.enable(g.leader, false) }
        for g in groups.indices {
            let group = groups[g]
            let reading = read(group)
            guard let before = group.last, case .success(let after) = reading else {
                let why = if case .failure(let failure) = reading { String(cString: strerror(failure.code)) } else { "no reading from before the batch" }
                for i in group.members where unavailable[i] == nil {
                    unavailable[i] = "reading the counter group failed: \(why)"
                }
                continue
            }
            let enabled = Double(after[1] &- before[1]), running = Double(after[2] &- before[2])
            for (k, i) in group.members.enumerated() where unavailable[i] == nil {
                if running == 0 {
                    if enabled > 0 {
                        unavailable[i] = "never scheduled: the PMU's counters were taken (another perf user, the NMI watchdog) or too few for this event"
                    }
                    continue
                }
                let scaling = enabled / running
                scaledTotals[i] += Double(after[3 + k] &- before[3 + k]) * scaling
                maxScaling[i] = max(maxScaling[i], scaling)
            }
            groups[g].last = nil
        }
    }

    /// The group's words ([nr, enabled, running, counts…]), or the errno of a failed read
    /// (EIO for a short one).
    private func read(_ group: Group) -> Result<[UInt64], ReadFailure> {
        var words = [UInt64](repeating: 0, count: 3 + group.members.count)
        let n = host.perf.readGroup(group.leader, &words)
        if n < 0 { return .failure(ReadFailure(code: -n)) }
        return n == words.count ? .success(words) : .failure(ReadFailure(code: EIO))
    }

    /// Each event's count per op over everything counted, or why it has none.
    public func values(ops: Int) -> [CounterName: CounterValue] {
        var out: [CounterName: CounterValue] = [:]
        for (i, event) in events.enumerated() {
            if let reason = unavailable[i] {
                out[event.name] = .unavailable(reason)
            } else if ops > 0 {
                out[event.name] = .ok(scaledTotals[i] / Double(ops), scaling: maxScaling[i], note: notes[i])
            } else {
                out[event.name] = .unavailable("nothing was counted")
            }
        }
        return out
    }

    /// What limits an open event's count (user mode only), if anything.
    public func note(_ name: CounterName) -> String? {
        events.firstIndex { $0.name == name }.flatMap { notes[$0] }
    }

    /// Why `name` cannot be counted (a plan or an open that failed); nil when it is open.
    public func unavailableReason(_ name: CounterName) -> String? {
        events.firstIndex { $0.name == name }.flatMap { unavailable[$0] }
    }

    /// Whether any event is open (worth running a counting batch for).
    public var isCounting: Bool { !groups.isEmpty }
}

/// The PMUs the kernel exposes in /sys/bus/event_source/devices.
public struct PMUInventory: Sendable {
    /// Kernel PMUs that are not a CPU's performance counters.
    static let nonHardware: Set<String> = ["software", "tracepoint", "breakpoint", "kprobe", "uprobe", "msr", "power"]
    let host: HostSystem

    public init(host: HostSystem = .live) { self.host = host }

    public func all() -> [String] { (host.list("/sys/bus/event_source/devices") ?? []).sorted() }

    /// The CPU PMUs (`cpu`, `cpu_core`, `armv8_pmuv3_0` …), by name.
    public func hardwarePMUs() -> [String] {
        all().filter { name in
            !Self.nonHardware.contains(name) && (name.hasPrefix("cpu") || name.hasPrefix("armv") || name.contains("pmu"))
        }
    }
}
