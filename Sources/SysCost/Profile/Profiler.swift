import CSysCost
import Foundation
import SysCostModel

/// Runs a command under the kernel's own counters — no ptrace: a syscall tracepoint counter
/// per system call, and software (and, with a PMU, hardware) counters, all opened on the
/// command held before exec, inherited by every child and thread it makes, and enabled at
/// exec. Its stdin, stdout and stderr are its own; its exit status is syscost's.
public final class Profiler {
    let command: [String]
    let cpu: Int?
    let host: HostSystem
    let tracefs: Result<Tracefs, ProfileUnavailable>
    /// SIGINT and SIGTERM as syscost was started with them: ignored ones stay ignored for the
    /// command (a shell's background job ignores SIGINT; Python then installs no handler).
    let ignored: Set<Int32>
    /// Where it runs (captured once: the prices were checked against the same).
    let environment: EnvironmentInfo

    public init(command: [String], cpu: Int? = nil, ignored: Set<Int32> = [], environment: EnvironmentInfo? = nil,
                host: HostSystem = .live, tracefs: Result<Tracefs, ProfileUnavailable>? = nil) {
        self.command = command
        self.environment = environment ?? EnvironmentCapture.capture(host: host)
        self.cpu = cpu
        self.ignored = ignored
        self.host = host
        self.tracefs = tracefs ?? Tracefs.open(host: host)
    }

    /// The software counters every profile asks for.
    static let software: [(CounterName, perf_sw_ids)] = [
        (.contextSwitches, PERF_COUNT_SW_CONTEXT_SWITCHES), ("cpu-migrations", PERF_COUNT_SW_CPU_MIGRATIONS),
        ("minor-faults", PERF_COUNT_SW_PAGE_FAULTS_MIN), ("major-faults", PERF_COUNT_SW_PAGE_FAULTS_MAJ),
        (.taskClock, PERF_COUNT_SW_TASK_CLOCK),
    ]
    /// And the hardware ones, where a PMU exists.
    static let hardware: [CounterName] = ["cycles:u", "cycles:k", "instructions:u", "instructions:k"]

    /// Runs the command to its end (a SIGINT or SIGTERM sent to syscost is passed on to it;
    /// one from the terminal reached it already) and reports what the counters saw. Throws
    /// `SysCostError.commandFailed` when it cannot be started. In four steps: launch it held,
    /// open the counters on it, let it go and wait for its end, collect.
    public func run() throws -> ProfileReport {
        let (overhead, overheadUnavailable) = countingOverhead()
        let held = try launch()
        let open = openCounters(on: held.pid)
        defer { open.release() }
        let started = Date()
        try held.go(command: command[0])
        var end = try wait(for: held.pid)
        end.wallSeconds = Date().timeIntervalSince(started)
        var report = collect(open, end: end, started: started)
        report.countingOverhead = overhead
        report.countingOverheadUnavailable = overheadUnavailable
        return report
    }

    /// What counting will cost each call, measured before any counter of the command is open.
    func countingOverhead() -> (PairedEstimate?, String?) {
        guard case .success(let t) = tracefs else { return (nil, "no syscall is counted") }
        if let blocked = CountingOverhead.blocked(host: host) { return (nil, blocked) }
        guard let overhead = CountingOverhead.perCall(tracefs: t, cpu: cpu, host: host) else {
            return (nil, "the getppid tracepoint could not be opened on syscost itself")
        }
        return (overhead, nil)
    }

    /// The command forked and held before exec: its pid, the pipe that lets it go, and the
    /// one that brings exec's errno (closed on a successful exec).
    struct Held {
        let pid: pid_t
        let goFD: Int32
        let errFD: Int32

        /// Lets the command exec; throws `commandFailed` when exec failed.
        func go(command name: String) throws {
            var go: UInt8 = 1
            _ = write(goFD, &go, 1)
            close(goFD)
            var execErrno: Int32 = 0
            let got = Glibc.read(errFD, &execErrno, MemoryLayout<Int32>.size)
            close(errFD)
            guard got == MemoryLayout<Int32>.size else { return }
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            throw SysCostError.commandFailed(name, execErrno)
        }
    }

    func launch() throws -> Held {
        var goPipe: [Int32] = [-1, -1], errPipe: [Int32] = [-1, -1]
        guard sc_pipe2(&goPipe, O_CLOEXEC) == 0, sc_pipe2(&errPipe, O_CLOEXEC) == 0 else {
            throw SysCostError.system("pipe2 for the command", errno)
        }
        let argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        let parentEnds = [goPipe[1], errPipe[0]]
        let pid = argv.withUnsafeBufferPointer { args in
            parentEnds.withUnsafeBufferPointer { ends in
                sc_spawn_held(args.baseAddress, goPipe[0], errPipe[1], ends.baseAddress, 2, Int32(cpu ?? -1),
                              ignored.contains(SIGINT) ? 1 : 0, ignored.contains(SIGTERM) ? 1 : 0)
            }
        }
        let forkErrno = errno
        close(goPipe[0])
        close(errPipe[1])
        guard pid > 0 else {
            close(goPipe[1]); close(errPipe[0])
            throw SysCostError.system("fork for the command", forkErrno)
        }
        return Held(pid: pid, goFD: goPipe[1], errFD: errPipe[0])
    }

    /// The counters open on the held command, and what could not be opened, with why. They
    /// are released (and tracefs unmounted, when syscost mounted it) however the profile
    /// ends: by a detached process, as closing each tracepoint event waits for an RCU grace
    /// period.
    final class OpenCounters {
        var tracepoints: [(String, Int32)] = []
        var counters: [(CounterName, Int32)] = []
        var unavailable: [CounterName: CounterValue] = [:]
        var syscallsUnavailable: String?
        let host: HostSystem
        let unmount: String?
        private var released = false

        init(host: HostSystem, unmount: String?) { self.host = host; self.unmount = unmount }

        func release() {
            guard !released else { return }
            released = true
            let open = tracepoints.map(\.1) + counters.map(\.1)
            var unmountedLater = false
            if !open.isEmpty, host.perf.releaseInBackground(open, unmount) { unmountedLater = unmount != nil }
            for fd in open { host.perf.close(fd) }
            if let unmount, !unmountedLater { _ = umount2(unmount, 0) }
        }
    }

    /// Counters on the held child: inherited by what it starts, enabled when it execs.
    func openCounters(on pid: pid_t) -> OpenCounters {
        let open = OpenCounters(host: host, unmount: (try? tracefs.get()).flatMap { $0.mountedBySyscost ? $0.root : nil })
        switch tracefs {
        case .failure(let why): open.syscallsUnavailable = why.reason
        case .success(let t):
            for (name, id) in t.syscalls.sorted(by: { $0.key < $1.key }) {
                let fd = host.perf.open(Self.attr(type: 2 /* PERF_TYPE_TRACEPOINT */, config: id), pid, -1)
                if fd < 0 {
                    open.syscallsUnavailable = "perf_event_open of the syscalls:sys_enter_\(name) tracepoint: \(String(cString: strerror(-fd)))"
                        + (-fd == EACCES || -fd == EPERM ? " (tracepoints need root or CAP_PERFMON, or perf_event_paranoid -1)" : "")
                    break
                }
                open.tracepoints.append((name, fd))
            }
            if open.syscallsUnavailable != nil { for (_, fd) in open.tracepoints { host.perf.close(fd) }; open.tracepoints = [] }
        }
        let access = PerfAccess.current(host: host)
        let events = Self.software.map { CounterEvent.software($0.0, $0.1) }
            + Self.hardware.compactMap { try? CounterEvent.parseList($0.rawValue).first }
        for event in events {
            if case .unavailable(let why) = event.plan(under: access) { open.unavailable[event.name] = .unavailable(why); continue }
            var attr = event.attr(under: access, leader: true)
            attr.read_format = Self.readFormat
            attr.inherit = 1
            attr.enable_on_exec = 1
            let fd = host.perf.open(attr, pid, -1)
            if fd < 0 {
                open.unavailable[event.name] = .unavailable(CounterSet.reason(errno: -fd, event: event, access: access, task: "the command",
                                                                               pmus: PMUInventory(host: host)))
            } else {
                open.counters.append((event.name, fd))
            }
        }
        return open
    }

    /// How the command ended.
    struct End {
        var status: Int32
        var usage: rusage
        /// A stop signal reached syscost meanwhile (and was passed on when sent to it alone).
        var interrupted: Bool
        /// From the go to the end (set by `run`).
        var wallSeconds: Double
    }

    /// Waits for the command's end, passing on a stop signal sent to syscost: the handler may
    /// run on any thread, so the flag is looked at every 50 ms rather than trusted to interrupt.
    func wait(for pid: pid_t) throws -> End {
        var end = End(status: 0, usage: rusage(), interrupted: false, wallSeconds: 0)
        let pidfd = sc_pidfd_open(pid)
        defer { if pidfd >= 0 { close(pidfd) } }
        while true {
            if pidfd >= 0 {
                var ready = pollfd(fd: pidfd, events: Int16(POLLIN), revents: 0)
                _ = poll(&ready, 1, 50)
            }
            let signal = sc_stop_signal()
            if signal != 0 {
                end.interrupted = true
                if sc_stop_was_sent() != 0 { kill(pid, signal) }
                sc_stop_reset()
            }
            let done = wait4(pid, &end.status, pidfd >= 0 ? WNOHANG : 0, &end.usage)
            if done == pid { break }
            if done < 0 && errno != EINTR { throw SysCostError.system("wait4 for the command", errno) }
        }
        return end
    }

    /// The report from the counters' values (read before they are released) and the end.
    func collect(_ open: OpenCounters, end: End, started: Date) -> ProfileReport {
        let exit: ProfileReport.Exit = (end.status & 0x7f) == 0
            ? .init(status: (end.status >> 8) & 0xff, signal: nil) : .init(status: nil, signal: end.status & 0x7f)
        var syscalls: [ProfileReport.SyscallCount] = []
        for (name, fd) in open.tracepoints {
            guard let (value, _) = count(fd), value > 0 else { continue }
            syscalls.append(.init(name: name, calls: value))
        }
        var values = open.unavailable
        for (name, fd) in open.counters {
            guard let (value, scaling) = count(fd) else { values[name] = .unavailable("the counter could not be read"); continue }
            values[name] = .ok(Double(value), scaling: scaling)
        }
        open.release()
        let seconds = { (t: timeval) in Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        let usage = end.usage
        return ProfileReport(
            command: command, environment: environment, startedAt: ISO8601DateFormatter().string(from: started),
            wallSeconds: end.wallSeconds, userSeconds: seconds(usage.ru_utime), systemSeconds: seconds(usage.ru_stime), exit: exit,
            interrupted: end.interrupted, syscalls: syscalls.sorted { ($0.calls, $1.name) > ($1.calls, $0.name) },
            syscallsUnavailable: open.syscallsUnavailable,
            tracefsMounted: (try? tracefs.get()).flatMap {
                $0.mountedBySyscost ? "tracefs was not mounted: syscost mounted it on \($0.root) for the count and unmounts it after" : nil
            },
            rusage: .init(voluntarySwitches: usage.ru_nvcsw, involuntarySwitches: usage.ru_nivcsw,
                          minorFaults: usage.ru_minflt, majorFaults: usage.ru_majflt),
            counters: values)
    }

    static let readFormat = UInt64(PERF_FORMAT_TOTAL_TIME_ENABLED.rawValue | PERF_FORMAT_TOTAL_TIME_RUNNING.rawValue)

    /// A counting event on the command: inherited, enabled at exec (or, for the calling
    /// thread itself, enabled now).
    static func attr(type: UInt32, config: UInt64, onExec: Bool = true) -> perf_event_attr {
        var attr = perf_event_attr()
        attr.size = UInt32(MemoryLayout<perf_event_attr>.size)
        attr.type = type
        attr.config = config
        attr.read_format = readFormat
        attr.disabled = onExec ? 1 : 0
        attr.inherit = onExec ? 1 : 0
        attr.enable_on_exec = onExec ? 1 : 0
        return attr
    }

    /// A counter's value, scaled when the kernel multiplexed it, and the scaling.
    func count(_ fd: Int32) -> (UInt64, Double)? {
        var words = [UInt64](repeating: 0, count: 3)
        guard host.perf.readGroup(fd, &words) >= 3 else { return nil }
        let (value, enabled, running) = (words[0], words[1], words[2])
        guard running > 0 else { return enabled == 0 ? (0, 1) : nil }
        let scaling = Double(enabled) / Double(running)
        return (UInt64((Double(value) * scaling).rounded()), scaling)
    }
}
