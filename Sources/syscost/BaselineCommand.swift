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
            Baselines live in --dir (default: baselines), one report each, meant to be checked in. \
            `check` exits 1 when a benchmark regressed beyond its threshold (--threshold, or per \
            benchmark from a --thresholds file), 0 otherwise, 2 on bad input (a missing baseline, a \
            run of another machine), 3 when a fresh run could not be written.
            """,
        subcommands: [Save.self, Check.self, List.self, Delete.self])

    struct Location: ParsableArguments {
        @Option(help: "The folder of baselines (default: baselines).")
        var dir = "baselines"

        var store: BaselineStore { BaselineStore(directory: dir) }
    }

    struct Save: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Save REPORT (or a fresh run: --only selects, as `run` takes it) as baseline NAME.")

        @Argument(help: "The baseline's name.") var name: String
        @Argument(help: "A report file to save; none: measure now.") var report: String?
        @OptionGroup var location: Location
        @OptionGroup var measuring: MeasureOptions
        @Flag(name: .customLong("save-partial"), help: "Save even a run a signal interrupted.") var savePartial = false

        func run() throws {
            try BaselineStore.validate(name)
            let run: RunReport
            if let report {
                run = try ReportLoader.load(report)
            } else {
                try ResultWriter.prepare(directory: location.dir)
                let (benchmarks, plan) = try measuring.plan(patterns: [])
                run = try MeasureOptions.measure(benchmarks, plan)
            }
            if run.interrupted && !savePartial {
                throw SysCostError.usage("not saved: the run was interrupted, so its figures are partial; --save-partial saves it anyway")
            }
            let path = try location.store.save(run, as: name)
            FileHandle.standardError.write(Data("saved baseline '\(name)' (\(run.results.count) results, machine \(run.environment.fingerprint.key), kernel \(run.environment.kernel.release)) as \(path)\n".utf8))
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare REPORT (or a fresh run of the baseline's selection) with baseline NAME; exit 1 on a regression.")

        @Argument(help: "The baseline's name.") var name: String
        @Argument(help: "A report file to check; none: measure now, the baseline's benchmarks unless --only says otherwise.") var report: String?
        @OptionGroup var location: Location
        @OptionGroup var judging: JudgingOptions
        @OptionGroup var measuring: MeasureOptions
        @OptionGroup var output: FormatOptions

        func run() throws {
            let format = try output.resolve([.table, .markdown, .json], default: .table)
            let baseline = try location.store.load(name)
            let new: RunReport
            let newName: String
            if let report {
                new = try ReportLoader.load(report)
                newName = report
            } else {
                // The baseline's own selection, unless told otherwise.
                let patterns = measuring.only.isEmpty ? baseline.results.map(\.id.description) : []
                var (benchmarks, plan) = try measuring.plan(patterns: patterns)
                if measuring.repetitions == nil && !measuring.quick { plan.repetitions = baseline.config.repetitions }
                new = try MeasureOptions.measure(benchmarks, plan)
                newName = "this run"
                if new.interrupted { throw ExitCode(128 + sc_stop_signal()) }
            }
            let comparison = try Comparison.compare(
                base: measuring.selection.filter.apply(baseline), new: measuring.selection.filter.apply(new), baseName: "baseline '\(name)'",
                newName: newName, thresholds: try judging.loadThresholds(), alpha: judging.alpha)
            print(try ComparisonFormat(rawValue: format.rawValue)!.export(comparison), terminator: "")
            let regressed = comparison.regressions.map(\.id.description)
            if !regressed.isEmpty {
                FileHandle.standardError.write(Data("baseline check: \(regressed.count) regression\(regressed.count == 1 ? "" : "s") against '\(name)': \(regressed.joined(separator: ", "))\n".utf8))
                throw ExitCode.failure
            }
            FileHandle.standardError.write(Data("baseline check: no regression against '\(name)' (\(comparison.rows.count) benchmarks compared)\n".utf8))
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
