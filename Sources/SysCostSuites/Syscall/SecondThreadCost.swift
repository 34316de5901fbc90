import Foundation
import SysCostModel
import SysCostStatistics

/// What a second thread costs every call glibc makes a cancellation point, and the proof that
/// the single-threaded figures are single-threaded. A `libc-threaded` result is the same glibc
/// call timed in a twin with one idle extra thread; its `single-threaded` relation names the
/// call timed in the single-threaded twin in the same rounds. The difference, paired by round,
/// is the figure (`second-thread-cost`).
///
/// A single-threaded glibc call can still cost more than the raw one: a call and a return
/// around the syscall, which on some CPUs mispredicts after the kernel's return-stack
/// mitigations (getppid, no cancellation point, pays it too: ≈ 48 ns on this project's EPYC,
/// ≈ 3 ns on its Xeon). So the single-threaded proof compares glibc's read with the raw read
/// behind a call and return of its own (`read/raw-call`, a wrapper's shape, timed in the same
/// twin), paired: what is left is glibc's own work, and below noise it says the process took the
/// short path. Calls without that variant are compared with getppid's wrapper cost instead.
public enum SecondThreadCost {
    public static func derive(_ results: inout [BenchmarkResult], in run: RunContext) {
        let byID = results.byID
        for i in results.indices {
            guard let relation = results[i].relations.first(where: { $0.role == .singleThreaded }),
                  let single = byID[relation.id], let threadedCost = results[i].undisturbed,
                  let singleCost = single.undisturbed else { continue }
            let paired = PairedEstimate.over([results[i].samples, single.samples], interleaved: run.interleaved) { $0[0] - $0[1] }
            results[i].figures.append(DerivedFigure(.secondThreadCost, value: threadedCost - singleCost, paired: paired, unit: .nsPerOp))
        }
    }

    /// "a second thread adds …" for each call, and glibc's cancellation work single-threaded.
    static func lines(_ report: RunReport) -> [String] {
        let u = report.environment.counted.word
        let byID = report.results.byID
        var lines: [String] = []
        for result in report.results {
            guard let figure = result.figures.first(where: { $0.kind == .secondThreadCost }) else { continue }
            let call = result.id.name
            if let paired = figure.pairedEstimate, paired.low != nil {
                let text = paired.differenceText(unit: u, negative: "nothing: with it the call is faster by")
                lines.append("a second thread adds \(text) to each \(call) through glibc (paired over \(paired.rounds) rounds)")
            } else {
                lines.append("a second thread adds \(Format.ns(figure.value)) \(u) to each \(call) through glibc (no interval: rounds not paired)")
            }
            if let line = singleThreadedLine(call, byID, interleaved: report.config.interleave) { lines.append(line) }
        }
        return lines
    }

    /// glibc's single-threaded call over raw, and that less getppid's wrapper cost, paired.
    static func singleThreadedLine(_ call: String, _ byID: [BenchmarkID: BenchmarkResult], interleaved: Bool) -> String? {
        let suite = SyscallDescriptor().suite
        guard let libc = byID[BenchmarkID(suite, call, SyscallDescriptor.libc)],
              let raw = byID[BenchmarkID(suite, call, SyscallDescriptor.raw)],
              let over = PairedEstimate.over([libc.samples, raw.samples], interleaved: interleaved, { $0[0] - $0[1] }),
              over.low != nil else { return nil }
        var line = "  single-threaded, glibc's \(call) over the raw call: \(over.differenceText(negative: "less by"))"
        if let called = byID[BenchmarkID(suite, call, SyscallDescriptor.rawCall)],
           let beyond = PairedEstimate.over([libc.samples, called.samples], interleaved: interleaved, { $0[0] - $0[1] }), beyond.low != nil {
            line += "; over the raw call behind a call and return of its own (a wrapper's shape, no libc): \(beyond.differenceText(negative: "less by"))"
        } else if let nullLibc = byID[SyscallDescriptor.getppidLibc], let null = byID[SyscallDescriptor.getppid],
           let beyond = PairedEstimate.over([libc.samples, raw.samples, nullLibc.samples, null.samples], interleaved: interleaved,
                                            { ($0[0] - $0[1]) - ($0[2] - $0[3]) }), beyond.low != nil {
            line += "; beyond the call and return getppid's wrapper also pays: \(beyond.differenceText(negative: "less by"))"
        }
        return line
    }
}
