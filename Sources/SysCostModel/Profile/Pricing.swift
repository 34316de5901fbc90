import Foundation
import SysCostStatistics

/// What one system call costs on this machine and kernel, priced from a run of the catalog.
public struct SyscallPrice: Codable, Equatable, Sendable {
    public enum Basis: Codable, Equatable, Sendable {
        /// The undisturbed cost of a catalog benchmark, per call it makes.
        case catalog(BenchmarkID)
        /// Not in the catalog: the ENOSYS floor, the entry and exit alone.
        case entryOnly
    }
    public var ns: Double
    public var basis: Basis
    /// A call with a vDSO path made as a syscall: what the vDSO call costs instead.
    public var vdsoNs: Double?
    public var vdso: BenchmarkID?

    public init(ns: Double, basis: Basis, vdsoNs: Double? = nil, vdso: BenchmarkID? = nil) {
        self.ns = ns; self.basis = basis; self.vdsoNs = vdsoNs; self.vdso = vdso
    }
}

/// The prices a profile uses, and where they came from.
public struct PriceList: Codable, Equatable, Sendable {
    /// The report they were read from (a path), or "measured now".
    public var source: String
    /// The ENOSYS floor: what a kernel entry and exit cost with no work.
    public var floorNs: Double
    /// A same-CPU process switch (pipe ping-pong, per switch, undisturbed), net of the pipe's
    /// own syscalls.
    public var switchNs: Double?
    /// By syscall name, for every name the command used.
    public var prices: [String: SyscallPrice]

    public init(source: String, floorNs: Double, switchNs: Double?, prices: [String: SyscallPrice]) {
        self.source = source; self.floorNs = floorNs; self.switchNs = switchNs; self.prices = prices
    }
}

/// Which catalog benchmark prices which system call (names as the kernel's tracepoints spell
/// them), and turning a run of the catalog into prices.
public enum Pricing {
    /// Syscall name → the benchmark that makes it and how many of it one op makes.
    public static let catalog: [String: (id: BenchmarkID, callsPerOp: Int)] = {
        func raw(_ name: String, _ perOp: Int = 1) -> (id: BenchmarkID, callsPerOp: Int) {
            (BenchmarkID(.syscall, name, "raw"), perOp)
        }
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
    }()

    /// Calls with a vDSO path: the vDSO benchmark that prices them when made that way.
    public static let vdso: [String: BenchmarkID] = [
        "clock_gettime": BenchmarkID(.vdso, "clock_gettime-monotonic", "vdso"),
        "gettimeofday": BenchmarkID(.vdso, "gettimeofday", "vdso"),
        "time": BenchmarkID(.vdso, "time", "vdso"),
        "getcpu": BenchmarkID(.vdso, "getcpu", "vdso"),
    ]

    /// What prices `names` need: their catalog and vDSO benchmarks, the ENOSYS floor and a
    /// same-CPU process switch.
    public static func needed(for names: [String]) -> [BenchmarkID] {
        var ids = [SyscallReporting.enosys, CtxSwitchReporting.pipeProcess]
        for name in names {
            if let c = catalog[name], !ids.contains(c.id) { ids.append(c.id) }
            if let v = vdso[name], !ids.contains(v) { ids.append(v) }
        }
        return ids
    }

    /// Prices for `names` from `report` (its undisturbed costs); nil when it has no ENOSYS
    /// floor. A name the report has no benchmark for is priced at the floor, entry only.
    public static func prices(from report: RunReport, source: String, for names: [String]) -> PriceList? {
        let byID = report.results.byID
        guard let floor = byID[SyscallReporting.enosys]?.undisturbed else { return nil }
        var prices: [String: SyscallPrice] = [:]
        for name in names {
            var price = SyscallPrice(ns: floor, basis: .entryOnly)
            if let c = catalog[name], let ns = byID[c.id]?.undisturbed {
                price = SyscallPrice(ns: ns / Double(c.callsPerOp), basis: .catalog(c.id))
            }
            if let v = vdso[name], let ns = byID[v]?.undisturbed {
                price.vdso = v
                price.vdsoNs = ns
            }
            prices[name] = price
        }
        // A switch net of the pipe's own syscalls: the command's reads and writes are priced
        // as calls already.
        let process = byID[CtxSwitchReporting.pipeProcess]
        let switchNs = process?.switchCost.flatMap { $0.net?.value ?? $0.netNsPerSwitch }
        return PriceList(source: source, floorNs: floor, switchNs: switchNs, prices: prices)
    }
}
