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
    /// `SysCostError.commandNotFound`-class errors when it cannot be started.
    public func run() throws -> ProfileReport {
        // What counting will cost each call, measured before any counter of the command is open.
        var overhead: PairedEstimate?, overheadUnavailable: String?
        switch tracefs {
        case .failure: overheadUnavailable = "no syscall is counted"
        case .success(let t):
            overheadUnavailable = CountingOverhead.blocked(host: host)
            if overheadUnavailable == nil {
                overhead = CountingOverhead.perCall(tracefs: t, cpu: cpu, host: host)
                if overhead == nil { overheadUnavailable = "the getppid tracepoint could not be opened on syscost itself" }
            }
        }
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
        // Counters on the held child: inherited by what it starts, enabled when it execs.
        var syscallsUnavailable: String?
        var tracepoints: [(String, Int32)] = []
        switch tracefs {
        case .failure(let why): syscallsUnavailable = why.reason
        case .success(let t):
            for (name, id) in t.syscalls.sorted(by: { $0.key < $1.key }) {
                let fd = host.perf.open(Self.attr(type: 2 /* PERF_TYPE_TRACEPOINT */, config: id), pid, -1)
                if fd < 0 {
                    syscallsUnavailable = "perf_event_open of the syscalls:sys_enter_\(name) tracepoint: \(String(cString: strerror(-fd)))"
                        + (-fd == EACCES || -fd == EPERM ? " (tracepoints need root or CAP_PERFMON, or perf_event_paranoid -1)" : "")
                    break
                }
                tracepoints.append((name, fd))
            }
            if syscallsUnavailable != nil { for (_, fd) in tracepoints { host.perf.close(fd) }; tracepoints = [] }
        }
        let access = PerfAccess.current(host: host)
        var counters: [(CounterName, Int32)] = []
        var unavailable: [CounterName: CounterValue] = [:]
        let events = Self.software.map { CounterEvent.software($0.0, $0.1) }
            + Self.hardware.compactMap { try? CounterEvent.parseList($0.rawValue).first }
        for event in events {
            if case .unavailable(let why) = event.plan(under: access) { unavailable[event.name] = .unavailable(why); continue }
            var attr = event.attr(under: access, leader: true)
            attr.read_format = Self.readFormat
            attr.inherit = 1
            attr.enable_on_exec = 1
            let fd = host.perf.open(attr, pid, -1)
            if fd < 0 {
                unavailable[event.name] = .unavailable(CounterSet.reason(errno: -fd, event: event, access: access, task: "the command",
                                                                          pmus: PMUInventory(host: host)))
            } else {
                counters.append((event.name, fd))
            }
        }
        var open = tracepoints.map(\.1) + counters.map(\.1)
        // Released (and tracefs unmounted, when syscost mounted it) however this ends: by a
        // detached process, as closing each tracepoint event waits for an RCU grace period.
        var unmountedLater = false
        func release() {
            let unmount = (try? tracefs.get()).flatMap { $0.mountedBySyscost ? $0.root : nil }
            if !open.isEmpty, host.perf.releaseInBackground(open, unmount) { unmountedLater = unmount != nil }
            for fd in open { host.perf.close(fd) }
            open = []
            if let unmount, !unmountedLater { _ = umount2(unmount, 0) }
        }
        defer { release() }

        // Go, and learn whether exec worked: the error pipe closes on exec, or brings errno.
        let started = Date()
        var go: UInt8 = 1
        _ = write(goPipe[1], &go, 1)
        close(goPipe[1])
        var execErrno: Int32 = 0
        let got = Glibc.read(errPipe[0], &execErrno, MemoryLayout<Int32>.size)
        close(errPipe[0])
        if got == MemoryLayout<Int32>.size {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            throw SysCostError.commandFailed(command[0], execErrno)
        }
        // Wait for its end, passing on a stop signal sent to syscost: the handler may run on
        // any thread, so the flag is looked at every 50 ms rather than trusted to interrupt.
        var status: Int32 = 0
        var usage = rusage()
        var interrupted = false
        let pidfd = sc_pidfd_open(pid)
        while true {
            if pidfd >= 0 {
                var ready = pollfd(fd: pidfd, events: Int16(POLLIN), revents: 0)
                _ = poll(&ready, 1, 50)
            }
            let signal = sc_stop_signal()
            if signal != 0 {
                interrupted = true
                if sc_stop_was_sent() != 0 { kill(pid, signal) }
                sc_stop_reset()
            }
            let done = wait4(pid, &status, pidfd >= 0 ? WNOHANG : 0, &usage)
            if done == pid { break }
            if done < 0 && errno != EINTR { throw SysCostError.system("wait4 for the command", errno) }
        }
        if pidfd >= 0 { close(pidfd) }
        let wall = Date().timeIntervalSince(started)
        let exit: ProfileReport.Exit = (status & 0x7f) == 0
            ? .init(status: (status >> 8) & 0xff, signal: nil) : .init(status: nil, signal: status & 0x7f)
        var syscalls: [ProfileReport.SyscallCount] = []
        for (name, fd) in tracepoints {
            guard let (value, _) = count(fd), value > 0 else { continue }
            syscalls.append(.init(name: name, calls: value))
        }
        var values = unavailable
        for (name, fd) in counters {
            guard let (value, scaling) = count(fd) else { values[name] = .unavailable("the counter could not be read"); continue }
            values[name] = .ok(Double(value), scaling: scaling)
        }
        release()
        let seconds = { (t: timeval) in Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        var report = ProfileReport(
            command: command, environment: environment, startedAt: ISO8601DateFormatter().string(from: started),
            wallSeconds: wall, userSeconds: seconds(usage.ru_utime), systemSeconds: seconds(usage.ru_stime), exit: exit,
            interrupted: interrupted, syscalls: syscalls.sorted { ($0.calls, $1.name) > ($1.calls, $0.name) },
            syscallsUnavailable: syscallsUnavailable,
            tracefsMounted: (try? tracefs.get()).flatMap {
                $0.mountedBySyscost ? "tracefs was not mounted: syscost mounted it on \($0.root) for the count and unmounts it after" : nil
            },
            rusage: .init(voluntarySwitches: usage.ru_nvcsw, involuntarySwitches: usage.ru_nivcsw,
                          minorFaults: usage.ru_minflt, majorFaults: usage.ru_majflt),
            counters: values)
        report.countingOverhead = overhead
        report.countingOverheadUnavailable = overheadUnavailable
        return report
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
