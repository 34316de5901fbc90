import ArgumentParser
import CSysCost
import Foundation
import SysCost
import SysCostAnalysis
import SysCostModel
import SysCostRender
import SysCostStatistics

struct BaselineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baseline",
        abstract: "Named baselines: save runs, check later ones against them (a CI gate), list, delete.",
        discussion: """
            Baselines live in --dir (default: baselines), meant to be checked in: <name>.json, and \
            <name>.runs/ for the runs beyond the first when one is saved from several (a side of \
            several runs is what a busy runner needs: see the README's "Did it change?"); \
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

    /// A baseline's name, and the runs to save or check: report files, or fresh measurements
    /// with `run`'s options.
    struct Subject: ParsableArguments {
        @Argument(help: "The baseline's name.") var name: String
        @Argument(help: "Report files (several: one side of several runs); none: measure now (save: the --only selection; check: the baseline's benchmarks unless --only says otherwise).")
        var reports: [String] = []
        @Option(help: "With no report files: how many runs to measure, back to back (\(FlagRanges.baselineRuns.text); default 1).")
        var runs = 1
        @OptionGroup var location: Location
        @OptionGroup var measuring: MeasureOptions

        func validate() throws {
            try FlagRanges.baselineRuns.check(runs)
            guard reports.count <= BaselineStore.maxRuns else { throw ValidationError("at most \(BaselineStore.maxRuns) report files (got \(reports.count))") }
            guard reports.isEmpty || runs == 1 else { throw ValidationError("--runs measures fresh runs; it goes with no report files") }
        }

        /// The runs, and what to call them: the files, or `runs` measurements of `patterns`.
        func load(patterns: [String], repetitions: Int? = nil) throws -> ([RunReport], String) {
            if !reports.isEmpty { return (try reports.map { try ReportLoader.load($0) }, reports.joined(separator: " + ")) }
            var (benchmarks, plan) = try measuring.plan(patterns: measuring.only.isEmpty ? patterns : [])
            if let repetitions, measuring.repetitions == nil, !measuring.quick { plan.repetitions = repetitions }
            var measured: [RunReport] = []
            for i in 0..<runs {
                if runs > 1 { StandardError.write(Data("baseline: run \(i + 1) of \(runs)\n".utf8)) }
                let run = try MeasureOptions.measure(benchmarks, plan)
                if run.interrupted { throw ExitCode(128 + sc_stop_signal()) }
                measured.append(run)
            }
            return (measured, runs == 1 ? "this run" : "these \(runs) runs")
        }
    }

    struct Save: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Save REPORT (or a fresh run) as baseline NAME.")
        @OptionGroup var subject: Subject
        @Flag(name: .customLong("save-partial"), help: "Save even a report a signal interrupted.") var savePartial = false

        func run() throws {
            try BaselineStore.validate(subject.name)
            if subject.reports.isEmpty { try ResultWriter.prepare(directory: subject.location.dir) }
            let (runs, _) = try subject.load(patterns: [])
            if runs.contains(where: \.interrupted) && !savePartial {
                throw SysCostError.usage("not saved: a run was interrupted, so its figures are partial; --save-partial saves it anyway")
            }
            let first = runs[0]
            if let other = runs.first(where: { !first.environment.fingerprint.differences(from: $0.environment.fingerprint).isEmpty }) {
                throw SysCostError.usage("not saved: the runs are not all of one machine (\(first.environment.fingerprint.key) and \(other.environment.fingerprint.key))")
            }
            let path = try subject.location.store.save(runs, as: subject.name)
            StandardError.write(Data(Escape.terminal("saved baseline '\(subject.name)' (\(runs.count == 1 ? "" : "\(runs.count) runs, ")\(first.results.count) results, machine \(first.environment.fingerprint.key), kernel \(first.environment.kernel.release)) as \(path)").utf8 + Data("\n".utf8)))
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare REPORT (or a fresh run of the baseline's benchmarks) with baseline NAME; exit 1 on a regression.")
        @OptionGroup var subject: Subject
        @OptionGroup var judging: JudgingOptions
        @OptionGroup var betweenRuns: BetweenRunOptions
        @OptionGroup var output: FormatOptions
        @Flag(name: .customLong("allow-missing"), help: "A benchmark of the baseline that the run lacks is no reason to fail (exit 4).")
        var allowMissing = false

        func run() throws {
            let format = try output.resolve(Comparison.formats, default: .table)
            let name = subject.name
            let baseline = try subject.location.store.loadRuns(name)
            let spread = try betweenRuns.spread(for: baseline[0])
            let (new, newName) = try subject.load(patterns: baseline[0].results.map(\.id.description),
                                                  repetitions: baseline[0].config.repetitions)
            let filter = subject.measuring.selection.filter
            let comparison = try Comparison.compare(
                Comparison.Side("baseline '\(name)'", baseline.map(filter.apply)), Comparison.Side(newName, new.map(filter.apply)),
                thresholds: try judging.loadThresholds(), alpha: judging.alpha, power: judging.power,
                estimator: judging.estimator, allowMissing: allowMissing, spread: spread, family: betweenRuns.family)
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
                try say("no baselines in \(location.dir)")
                return
            }
            let rows = entries.map { e -> [String] in
                guard let r = e.report else { return [e.name, "-", "-", "-", "not a baseline: \(e.problem ?? "")"] }
                return [e.name, r.environment.fingerprint.key.rawValue, r.environment.kernel.release, r.config.startedAt,
                        "\(r.results.count)" + (r.interrupted ? " (interrupted)" : "")]
            }
            try say(TextRenderer.align([["name", "machine", "kernel", "started", "results"]] + rows, rightAligned: []))
        }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete baseline NAME.")
        @Argument(help: "The baseline's name.") var name: String
        @OptionGroup var location: Location

        func run() throws {
            try location.store.delete(name)
            StandardError.write(Data("deleted baseline '\(name)'\n".utf8))
        }
    }
}
