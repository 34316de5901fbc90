import Foundation
import SysCostModel
import SysCostStatistics

/// Suite `vdso`: each time call through glibc, through the vDSO symbol, and as a syscall.
public struct VDSODescriptor: SuiteDescriptor {
    public var suite: SuiteName { .vdso }
    public var figureKinds: [DerivedFigure.Kind] { [.speedupOverSyscall] }
    public init() {}

    public static let libc = "libc", vdso = "vdso", syscall = "syscall"

    public func usesLibc(_ id: BenchmarkID) -> Bool { id.isForm(Self.libc) }

    /// The fleet watch's: the vDSO clock.
    public var watchIDs: [BenchmarkID] { [Self.monotonic] }

    /// Calls with a vDSO path, priced by their vDSO form when a program makes them that way.
    public var vdsoPrices: [String: BenchmarkID] {
        ["clock_gettime": Self.monotonic, "gettimeofday": BenchmarkID(.vdso, "gettimeofday", Self.vdso),
         "time": BenchmarkID(.vdso, "time", Self.vdso), "getcpu": BenchmarkID(.vdso, "getcpu", Self.vdso)]
    }
    /// The call the headline chart shows.
    public static let monotonic = BenchmarkID(.vdso, "clock_gettime-monotonic", vdso)

    /// Each call's speedup over its syscall form, and a warning where the vDSO path is not
    /// much cheaper than the syscall (the clocksource cannot be read from user space).
    public func derive(_ results: inout [BenchmarkResult], in run: RunContext) {
        let environment = run.environment
        let byID = results.byID
        for i in results.indices where results[i].suite == suite {
            guard let syscallID = results[i].related(.syscallForm), let form = byID[syscallID], let syscall = form.undisturbed,
                  let median = results[i].undisturbed, median > 0 else { continue }
            // The syscall form over this call, round by round where the rounds pair.
            let speedup = PairedEstimate.over([form.samples, results[i].samples], interleaved: run.interleaved) {
                $0[1] > 0 ? $0[0] / $0[1] : .infinity
            } ?? PairedEstimate(value: syscall / median, low: nil, high: nil, rounds: 0)
            results[i].figures.append(DerivedFigure(.speedupOverSyscall, speedup, unit: .ratio))
            if results[i].id.isForm(Self.vdso), median >= 0.5 * syscall {
                results[i].warnings.append(Warning(.vdsoFallback, String(
                    format: "the vDSO path costs %.0f%% of the syscall path; clocksource is %@, which user space may not be able to read (hpet, acpi_pm, a VM without a stable TSC): the vDSO then makes the syscall itself",
                    median / syscall * 100, environment.clocksource ?? "unknown")))
            }
        }
    }

    /// clock_gettime(CLOCK_MONOTONIC) through the vDSO, and what it saves against its syscall.
    public func headline(of report: RunReport) -> [HeadlineRow] {
        let u = report.environment.counted.word
        let byID = report.results.byID
        guard let vdso = byID[Self.monotonic], vdso.undisturbed != nil else { return [] }
        let saving = byID[Self.monotonic.with(variant: Self.syscall)].flatMap { form in
            PairedEstimate.over([form.samples, vdso.samples], interleaved: report.config.interleave) { $0[0] - $0[1] }
        }
        return [.measured("clock_gettime(MONOTONIC) via the vDSO", vdso, meaning: saving.map {
            "saves " + $0.differenceText(unit: u, negative: "nothing: it costs more by") + " vs syscall"
        } ?? "")]
    }

    /// "vDSO clock_gettime-monotonic: 22.65 ns vs 83.84 ns as a syscall (3.7× cheaper)".
    static func kernelEntryLines(_ report: RunReport) -> [String] {
        let u = report.environment.counted.word
        let byID = report.results.byID
        return report.results.compactMap { r in
            guard r.suite == .vdso, r.id.isForm(vdso), let v = r.undisturbed,
                  let s = byID[r.id.with(variant: syscall)]?.undisturbed else { return nil }
            var line = "vDSO \(r.id.name): \(Format.ns(v)) \(u) vs \(Format.ns(s)) \(u) as a syscall "
            if let speedup = r.speedupOverSyscall, let lo = speedup.low, let hi = speedup.high {
                if !speedup.excludes(1) {
                    line += String(format: "(no faster beyond noise: %.2f…%.2f×)", lo, hi)
                } else if speedup.value > 1 {
                    line += String(format: "(%.1f× cheaper, %.1f…%.1f)", speedup.value, lo, hi)
                } else {
                    line += String(format: "(%.2f× dearer, %.2f…%.2f: it falls back to the syscall)", 1 / speedup.value, 1 / hi, 1 / lo)
                }
            } else {
                line += "(no interval: rounds not paired)"
            }
            return line
        }
    }
}

extension SuiteName {
    public static let vdso = SuiteName("vdso")
}

extension BenchmarkResult {
    /// A vDSO or libc call's syscall form over it (vdso suite).
    public var speedupOverSyscall: PairedEstimate? { figure(.speedupOverSyscall)?.estimate }
}
