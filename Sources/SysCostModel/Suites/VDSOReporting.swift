import Foundation

/// Suite `vdso`: each time call through glibc, through the vDSO symbol, and as a syscall.
public struct VDSOReporting: SuiteReporting {
    public var suite: SuiteName { .vdso }
    public init() {}

    public static let libc = "libc", vdso = "vdso", syscall = "syscall"
    /// The call the headline chart shows.
    public static let monotonic = BenchmarkID(.vdso, "clock_gettime-monotonic", vdso)

    /// Each call's speedup over its syscall form, and a warning where the vDSO path is not
    /// much cheaper than the syscall (the clocksource cannot be read from user space).
    public func derive(_ results: inout [BenchmarkResult], environment: EnvironmentInfo) {
        let medians = Dictionary(results.compactMap { r in r.median.map { (r.id, $0) } }, uniquingKeysWith: { a, _ in a })
        for i in results.indices where results[i].suite == suite {
            guard let syscallID = results[i].related(.syscallForm), let syscall = medians[syscallID],
                  let median = results[i].median, median > 0 else { continue }
            results[i].figures.append(.speedupOverSyscall(syscall / median))
            if results[i].id.variant == Self.vdso, median >= 0.5 * syscall {
                results[i].warnings.append(Warning(.vdsoFallback, String(
                    format: "the vDSO path costs %.0f%% of the syscall path; clocksource is %@, which user space may not be able to read (hpet, acpi_pm, a VM without a stable TSC): the vDSO then makes the syscall itself",
                    median / syscall * 100, environment.clocksource ?? "unknown")))
            }
        }
    }

    /// "vDSO clock_gettime-monotonic: 22.65 ns vs 83.84 ns as a syscall (3.7× cheaper)".
    static func kernelEntryLines(_ report: RunReport) -> [String] {
        let byID = report.results.byID
        return report.results.compactMap { r in
            guard r.suite == .vdso, r.id.variant == vdso, let v = r.median,
                  let s = byID[r.id.with(variant: syscall)]?.median else { return nil }
            return "vDSO \(r.id.name): \(Format.ns(v)) ns vs \(Format.ns(s)) ns as a syscall "
                + String(format: "(%.1f× cheaper)", s / max(v, 0.01))
        }
    }
}
