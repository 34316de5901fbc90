import Foundation

/// Suite `syscall`: the direct cost of a kernel entry, raw and through libc.
public struct SyscallReporting: SuiteReporting {
    public var suite: SuiteName { .syscall }
    public init() {}

    /// An unknown syscall number: the kernel's entry and exit with nothing between.
    public static let enosys = BenchmarkID(.syscall, "invalid", "raw")
    /// The null syscall of `perf bench syscall basic`.
    public static let getppid = BenchmarkID(.syscall, "getppid", "raw")
    public static let getppidLibc = BenchmarkID(.syscall, "getppid", "libc")
    public static let stat = BenchmarkID(.syscall, "stat", "raw")

    public func sections(of report: RunReport) -> [ReportSection] {
        let byID = report.results.byID
        var lines: [String] = []
        if let floor = byID[Self.enosys]?.median {
            lines.append("ENOSYS floor (an unknown syscall: entry and exit only): \(Format.ns(floor)) ns")
        }
        if let raw = byID[Self.getppid]?.median {
            var line = "null syscall getppid: raw \(Format.ns(raw)) ns"
            if let libc = byID[Self.getppidLibc]?.median {
                line += ", through glibc \(Format.ns(libc)) ns (the wrapper adds \(Format.ns(libc - raw)) ns)"
            }
            lines.append(line)
        }
        lines += VDSOReporting.kernelEntryLines(report)
        if let s = report.environment.seccomp.installed {
            var line = "seccomp \(s.spec) (\(s.kind), \(s.instructions) instructions): getppid "
                + "\(Format.ns(s.getppidBeforeNs)) → \(Format.ns(s.getppidAfterNs)) ns, +\(Format.ns(s.costPerCallNs)) ns per call"
            if let slope = s.costPerInstructionNs { line += String(format: ", %.3f ns per filter instruction", slope) }
            lines.append(line)
        }
        return [ReportSection(title: "What the kernel entry costs", lines: lines)]
    }
}

extension SuiteName {
    public static let syscall = SuiteName("syscall")
    public static let vdso = SuiteName("vdso")
    public static let timer = SuiteName("timer")
    public static let ctxswitch = SuiteName("ctxswitch")
    public static let indirect = SuiteName("indirect")
}
