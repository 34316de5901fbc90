import Foundation
import SysCostModel
import SysCostStatistics

/// Suite `syscall`: the direct cost of a kernel entry, raw and through libc.
public struct SyscallDescriptor: SuiteDescriptor {
    public var suite: SuiteName { .syscall }
    public init() {}

    /// An unknown syscall number: the kernel's entry and exit with nothing between.
    public static let enosys = BenchmarkID(.syscall, "invalid", "raw")
    /// The null syscall of `perf bench syscall basic`.
    public static let getppid = BenchmarkID(.syscall, "getppid", "raw")
    public static let getppidLibc = BenchmarkID(.syscall, "getppid", "libc")
    public static let getpid = BenchmarkID(.syscall, "getpid", "raw")
    public static let read = BenchmarkID(.syscall, "read", "raw")
    public static let readLibc = BenchmarkID(.syscall, "read", "libc")
    public static let socketpairSendRecv = BenchmarkID(.syscall, "socketpair-send-recv", "raw")
    public static let stat = BenchmarkID(.syscall, "stat", "raw")
    public static let mprotect = BenchmarkID(.syscall, "mprotect", "raw")

    /// The variants: the kernel's entry made directly, and through glibc's wrapper.
    public static let raw = "raw"
    public static let libc = "libc"
    /// Through glibc, in a process with one idle extra thread.
    public static let libcThreaded = "libc-threaded"
    /// The raw syscall inside a function of its own: a wrapper's call and return, no libc.
    public static let rawCall = "raw-call"

    public func usesLibc(_ id: BenchmarkID) -> Bool { id.isForm(among: [Self.libc, Self.libcThreaded]) }

    public var figureKinds: [DerivedFigure.Kind] { [.secondThreadCost] }

    /// The fleet watch's: the ENOSYS floor, the null syscall raw and through glibc, a read.
    public var watchIDs: [BenchmarkID] { [Self.enosys, Self.getppid, Self.getppidLibc, Self.read, Self.readLibc] }

    /// Syscall name → the raw benchmark that makes it (mprotect's op toggles a page twice).
    public var prices: [String: PriceRule] {
        func raw(_ name: String, _ perOp: Int = 1) -> PriceRule { PriceRule(BenchmarkID(.syscall, name, Self.raw), callsPerOp: perOp) }
        return [
            "getpid": raw("getpid"), "getppid": raw("getppid"), "gettid": raw("gettid"),
            "sched_yield": raw("sched_yield"), "getpriority": raw("getpriority"),
            "read": raw("read"), "write": raw("write"), "pread64": raw("pread"), "lseek": raw("lseek"),
            "newfstat": raw("fstat"), "fstat": raw("fstat"), "newfstatat": raw("stat"),
            "fcntl": raw("fcntl-getfl"), "access": raw("access"), "faccessat": raw("access"), "faccessat2": raw("access"),
            "getcwd": raw("getcwd"), "ioctl": raw("ioctl-fionread"), "getrandom": raw("getrandom"),
            "newuname": raw("uname"), "uname": raw("uname"), "getrusage": raw("getrusage"), "sysinfo": raw("sysinfo"),
            "times": raw("times"), "getrlimit": raw("getrlimit"), "prlimit64": raw("getrlimit"),
            "clock_gettime": raw("clock_gettime"), "gettimeofday": raw("gettimeofday"), "getcpu": raw("getcpu"),
            "futex": raw("futex-wake"), "poll": raw("poll"), "ppoll": raw("poll"),
            "epoll_wait": raw("epoll_wait"), "epoll_pwait": raw("epoll_wait"), "kill": raw("kill"),
            "getuid": raw("getuid"), "geteuid": raw("geteuid"), "umask": raw("umask"), "capget": raw("capget"),
            "rt_sigprocmask": raw("rt_sigprocmask"), "mprotect": raw("mprotect", 2),
        ]
    }

    /// What a second thread adds to each glibc call (`SecondThreadCost`); glibc's wrapper over
    /// the raw call is a sentence of the section, paired by round there.
    public func derive(_ results: inout [BenchmarkResult], in run: RunContext) {
        SecondThreadCost.derive(&results, in: run)
    }

    /// mprotect toggles one page whose address differs in every process (ASLR): with the same
    /// neighbours in every run (guard pages), back-to-back runs still read 1347–1379 ns or
    /// 1650–1672 ns, each run steady within itself.
    /// socketpair-send-recv is bimodal between runs: of 60 runs of the syscall suite here (30
    /// with a busy neighbour, 30 quiet), 7 read 1376–1443 ns and the rest 1117–1226 ns, each run
    /// steady within itself (0.5–0.7% within, 6.4–8.7% learned between runs). Which mode a run
    /// gets is not yet known (the socket pair and its buffers are made anew in every process).
    public func variesBetweenRuns(_ id: BenchmarkID) -> String? {
        switch id.name {
        case Self.mprotect.name: return "its page lands at another address in every run (ASLR)"
        case Self.socketpairSendRecv.name where id.suite == .syscall:
            return "about one run in nine reads it 20% dearer (1.41 µs against 1.18 µs here), every round alike"
        default: return nil
        }
    }

    /// The floor, the null syscall over it, and glibc's wrapper over the raw call.
    public func headline(of report: RunReport) -> [HeadlineRow] {
        let u = report.environment.counted.word
        let byID = report.results.byID, interleaved = report.config.interleave
        var rows: [HeadlineRow] = []
        let floor = byID[Self.enosys].flatMap { $0.undisturbed == nil ? nil : $0 }
        if let floor { rows.append(.measured("ENOSYS floor (kernel entry and exit alone)", floor)) }
        if let null = byID[Self.getppid], null.undisturbed != nil {
            let overFloor = floor.flatMap { f in PairedEstimate.over([null.samples, f.samples], interleaved: interleaved) { $0[0] / $0[1] } }
            rows.append(.measured("null syscall (raw getppid)", null, meaning: overFloor?.ratioText("the floor") ?? ""))
            if let libc = byID[Self.getppidLibc], libc.undisturbed != nil {
                let wrapper = PairedEstimate.over([libc.samples, null.samples], interleaved: interleaved) { $0[0] - $0[1] }
                rows.append(.measured("getppid through glibc", libc, meaning: wrapper.map {
                    "the wrapper adds " + $0.differenceText(unit: u, negative: "none: it is faster by")
                } ?? "the wrapper: no interval (rounds not paired)"))
            }
        }
        return rows
    }

    public func sections(of report: RunReport) -> [ReportSection] {
        let u = report.environment.counted.word
        let byID = report.results.byID
        var lines: [String] = []
        if let floor = byID[Self.enosys]?.undisturbed {
            lines.append("ENOSYS floor (an unknown syscall: entry and exit only): \(Format.ns(floor)) \(u)")
        }
        if let rawResult = byID[Self.getppid], let raw = rawResult.undisturbed {
            var line = "null syscall getppid: raw \(Format.ns(raw)) \(u)"
            if let libcResult = byID[Self.getppidLibc], let libc = libcResult.undisturbed {
                line += ", through glibc \(Format.ns(libc)) \(u)"
                if let wrapper = PairedEstimate.over([libcResult.samples, rawResult.samples], interleaved: report.config.interleave, { $0[0] - $0[1] }),
                   wrapper.low != nil {
                    line += wrapper.excludes(0) && wrapper.value > 0
                        ? " (the wrapper adds \(wrapper.differenceText(unit: u)), paired by round over \(wrapper.rounds) rounds)"
                        : " (what the wrapper adds is \(wrapper.differenceText(unit: u, negative: "none: glibc's call is faster by")))"
                } else {
                    line += " (what the wrapper adds has no interval: rounds not paired)"
                }
            }
            lines.append(line)
        }
        // The in-run ratio of undisturbed costs, paired by round: it holds where the absolute
        // figures drift (five runs here: 1.394–1.401 while getppid's medians moved 6%).
        if let floor = byID[Self.enosys], let null = byID[Self.getppid],
           let ratio = PairedEstimate.over([null.samples, floor.samples], interleaved: report.config.interleave, { $0[0] / $0[1] }),
           let lo = ratio.low, let hi = ratio.high {
            lines.append(String(format: "getppid over the ENOSYS floor, paired by round: %.3f× (%.3f…%.3f, %d rounds)", ratio.value, lo, hi, ratio.rounds))
        }
        lines += SecondThreadCost.lines(report)
        lines += VDSODescriptor.kernelEntryLines(report)
        if let s = report.environment.seccomp.installed {
            var line = "seccomp \(s.spec) (\(s.kind), \(s.instructions) instructions): getppid "
                + "\(Format.ns(s.getppidBeforeNs)) → \(Format.ns(s.getppidAfterNs)) \(u), +\(Format.ns(s.costPerCallNs)) \(u) per call"
            if let slope = s.costPerInstructionNs { line += String(format: ", %.3f \(u) per filter instruction", slope) }
            lines.append(line)
        }
        return [ReportSection(title: "What the kernel entry costs", lines: lines)]
    }
}

extension SuiteName {
    public static let syscall = SuiteName("syscall")
}
