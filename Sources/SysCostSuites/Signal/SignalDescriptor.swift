import Foundation
import SysCostModel
import SysCostStatistics

/// Suite `signal`: what a caught signal costs from send to return, and a signal-mask round
/// trip — the kernel work behind every signal a program handles and every critical section it
/// guards by blocking signals.
public struct SignalDescriptor: SuiteDescriptor {
    public var suite: SuiteName { .signal }
    public init() {}

    /// SIGUSR1 sent to the measuring thread and caught (tgkill, delivery, handler, rt_sigreturn).
    public static let caught = BenchmarkID(.signal, "catch", "raw")
    /// SIGUSR2 blocked and the old mask restored (two rt_sigprocmask calls).
    public static let maskRoundTrip = BenchmarkID(.signal, "sigprocmask-roundtrip", "raw")

    /// A program's handled signal shows as one rt_sigreturn: it is priced as the whole
    /// delivery, send to return.
    public var prices: [String: PriceRule] { ["rt_sigreturn": PriceRule(Self.caught)] }

    public func sections(of report: RunReport) -> [ReportSection] {
        let u = report.environment.counted.word
        let byID = report.results.byID
        var lines: [String] = []
        if let caught = byID[Self.caught], let ns = caught.undisturbed {
            var line = "a signal sent to this thread and caught (tgkill, delivery, handler, rt_sigreturn): \(Format.ns(ns)) \(u)"
            if let null = byID[SyscallDescriptor.getppid],
               let ratio = PairedEstimate.over([caught.samples, null.samples], interleaved: report.config.interleave, { $0[0] / $0[1] }),
               let lo = ratio.low, let hi = ratio.high {
                line += String(format: ", %.2f× the null syscall (%.2f…%.2f, paired over %d rounds)", ratio.value, lo, hi, ratio.rounds)
            }
            lines.append(line)
        }
        if let mask = byID[Self.maskRoundTrip]?.undisturbed {
            lines.append("the signal mask blocked and restored (two rt_sigprocmask calls): \(Format.ns(mask)) \(u)")
        }
        return lines.isEmpty ? [] : [ReportSection(title: "Signals", lines: lines)]
    }
}

extension SuiteName {
    public static let signal = SuiteName("signal")
}
