import ArgumentParser
import Foundation
import SysCostAnalysis
import SysCostModel

/// How `compare` and `baseline check` end, as a CI gate reads them: 1 when a benchmark
/// regressed, else 4 when the comparison is incomplete (an interrupted or failed run, a
/// benchmark the new side lacks, nothing compared), else 0. Each cause gets a line on stderr.
enum GateOutcome {
    static let incompleteStatus: Int32 = 4

    static func conclude(_ comparison: Comparison, command: String, against: String) throws {
        for cause in comparison.incomplete {
            StandardError.write(Data("\(command): not a pass: \(Escape.terminal(cause.sentence))\n".utf8))
        }
        let regressed = comparison.regressions.map(\.id.description)
        if !regressed.isEmpty {
            StandardError.write(Data((Escape.terminal("\(command): \(regressed.count) regression\(regressed.count == 1 ? "" : "s") against \(against): \(regressed.joined(separator: ", "))") + "\n").utf8))
            throw ExitCode.failure
        }
        if !comparison.incomplete.isEmpty { throw ExitCode(incompleteStatus) }
        StandardError.write(Data("\(command): no regression against \(against) (\(comparison.rows.count) benchmark\(comparison.rows.count == 1 ? "" : "s") compared)\n".utf8))
    }

    /// The exit statuses, as every command's help and the README give them.
    static let table = """
        Exit status: 0 success (a gate: every benchmark compared, none regressed); 1 a regression \
        (compare, baseline check) or a benchmark that failed its check (run); 2 bad usage or input \
        (a malformed or oversized report, a missing file, an output that cannot be written, checked \
        before any work); 3 results could not be written after the work (they went to a fallback \
        file, named); 4 not a pass: the comparison is incomplete (a run of either side was \
        interrupted or has benchmarks that failed their check, the new side lacks a benchmark the \
        base measured unless --allow-missing, or nothing could be compared); 126/127 profile's \
        command could not run / was not found; 128+n a signal (130 SIGINT, 143 SIGTERM).
        """
}
