import ArgumentParser
import CSysCost
import Foundation
import SysCost
import SysCostAnalysis
import SysCostModel
import SysCostRender

struct BaselineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baseline",
        abstract: "Named baselines: save a run, check a later one against it (a CI gate), list, delete.",
        discussion: """
            Baselines live in --dir (default: baselines), one report each, meant to be checked in; \
            every subcommand acts on the regular files there and on nothing else. `check` exits 0 \
            when every benchmark of the baseline was compared and none regressed; 1 when one \
            regressed beyond its threshold (--threshold, or per benchmark from a --thresholds file); \
            2 on bad input (a missing baseline, a run of another machine); 3 when a fresh run could \
            not be written; 4 when it is not a pass: the run (or the baseline) was interrupted or \
            has benchmarks that failed their check, lacks a benchmark the baseline has (unless \
            --allow-missing), or nothing could be compared.
            """,
        subcommands: [Save.self, Check.self, List.self, Delete.self])

    struct Location: ParsableArguments {
        @Option(help: "The folder of baselines (default: baselines).")
        var dir = "baselines"

        var store: BaselineStore { BaselineStore(directory: dir) }
    }

    /// A baseline's name, and the run to save or check: a report file, or a fresh
    /// measurement with `run`'s options.
    struct Subject: ParsableArguments {
        @Argument(help: "The baseline's name.") var name: String
        @Argument(help: "A report file; none: measure now (save: the --only selection; check: the baseline's benchmarks unless --only says otherwise).")
        var report: String?
        @OptionGroup var location: Location
        @OptionGroup var measuring: MeasureOptions

        /// The run, and what to call it: the file, or a measurement of `patterns` (checked to
        /// be writable into the baseline folder first when it is to be saved).
        func run(patterns: [String], repetitions: Int? = nil) throws -> (RunReport, String) {
            if let report { return (try ReportLoader.load(report), report) }
            var (benchmarks, plan) = try measuring.plan(patterns: measuring.only.isEmpty ? patterns : [])
            if let repetitions, measuring.repetitions == nil, !measuring.quick { plan.repetitions = repetitions }
            let measured = try MeasureOptions.measure(benchmarks, plan)
            if measured.interrupted { throw ExitCode(128 + sc_stop_signal()) }
            return (measured, "this run")
        }
    }

    struct Save: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Save REPORT (or a fresh run) as baseline NAME.")
        @OptionGroup var subject: Subject
        @Flag(name: .customLong("save-partial"), help: "Save even a report a signal interrupted.") var savePartial = false

        func run() throws {
            try BaselineStore.validate(subject.name)
            if subject.report == nil { try ResultWriter.prepare(directory: subject.location.dir) }
            let (run, _) = try subject.run(patterns: [])
            if run.interrupted && !savePartial {
                throw SysCostError.usage("not saved: the run was interrupted, so its figures are partial; --save-partial saves it anyway")
            }
            let path = try subject.location.store.save(run, as: subject.name)
            FileHandle.standardError.write(Data("saved baseline '\(subject.name)' (\(run.results.count) results, machine \(run.environment.fingerprint.key), kernel \(run.environment.kernel.release)) as \(path)\n".utf8))
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare REPORT (or a fresh run of the baseline's benchmarks) with baseline NAME; exit 1 on a regression.")
        @OptionGroup var subject: Subject
        @OptionGroup var judging: JudgingOptions
        @OptionGroup var output: FormatOptions
        @Flag(name: .customLong("allow-missing"), help: "A benchmark of the baseline that the run lacks is no reason to fail (exit 4).")
        var allowMissing = false

        func run() throws {
            let format = try output.resolve(Comparison.formats, default: .table)
            let name = subject.name
            let baseline = try subject.location.store.load(name)
            let (new, newName) = try subject.run(patterns: baseline.results.map(\.id.description),
                                                 repetitions: baseline.config.repetitions)
            let filter = subject.measuring.selection.filter
            let comparison = try Comparison.compare(
                base: filter.apply(baseline), new: filter.apply(new), baseName: "baseline '\(name)'",
                newName: newName, thresholds: try judging.loadThresholds(), alpha: judging.alpha, power: judging.power,
                estimator: judging.estimator, allowMissing: allowMissing)
            try CommandOutput.emit(comparison, as: format, to: nil, fallbackName: "baseline-check")
            try GateOutcome.conclude(comparison, command: "baseline check", against: "'\(name)'")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the baselines: name, machine, kernel, when, how many results.")
        @OptionGroup var location: Location

        func run() throws {
            let entries = try location.store.list()
            guard !entries.isEmpty else {
                print("no baselines in \(location.dir)")
                return
            }
            let rows = entries.map { e -> [String] in
                guard let r = e.report else { return [e.name, "-", "-", "-", "not a baseline: \(e.problem ?? "")"] }
                return [e.name, r.environment.fingerprint.key.rawValue, r.environment.kernel.release, r.config.startedAt,
                        "\(r.results.count)" + (r.interrupted ? " (interrupted)" : "")]
            }
            print(TextRenderer.align([["name", "machine", "kernel", "started", "results"]] + rows, rightAligned: []))
        }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete baseline NAME.")
        @Argument(help: "The baseline's name.") var name: String
        @OptionGroup var location: Location

        func run() throws {
            try location.store.delete(name)
            FileHandle.standardError.write(Data("deleted baseline '\(name)'\n".utf8))
        }
    }
}
