import ArgumentParser
import CSysCost
import Foundation
import SysCost
import SysCostAnalysis
import SysCostModel
import SysCostRender
import SysCostStatistics

/// `syscost calibrate`: learns how much this machine's figures move from run to run, the term
/// a comparison of one run a side cannot see in its own rounds.
struct CalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Learn this machine's between-run spread: N runs spread over minutes, saved, then the spread kept beside them.",
        discussion: """
            A shared host runs in phases of seconds to minutes, and a whole run can sit in one: \
            two runs differ by more than their rounds show. compare, baseline check and watch need \
            that between-run spread to judge one run a side; without it they give no verdict. This \
            takes --runs runs (default 8) whose starts are --spacing seconds apart (default 60), \
            files each under --results-dir as `run --save` does, then learns the spread of every \
            saved run of this machine and kernel there (the newest \(SpreadStore.maxRuns)) and writes \
            <results-dir>/<machine>/<kernel>/\(SpreadStore.fileName). --learn-only learns from the \
            runs already saved, measuring nothing. Calibrate under the load the gate will see: a \
            spread learned on a quiet machine is too narrow for a busy CI runner.
            """)

    @Argument(help: "Glob patterns on ids, as for run (none: every suite).")
    var patterns: [String] = []

    @OptionGroup var measuring: MeasureOptions

    @Option(help: "How many runs (\(FlagRanges.calibrateRuns.text); default 8).")
    var runs = 8

    @Option(help: "Seconds from one run's start to the next's (\(FlagRanges.spacing.text); default 60).")
    var spacing: Double = 60

    @Option(name: .customLong("results-dir"), help: "Where the runs are filed and the spread is kept (default: results).")
    var resultsDir = "results"

    @Flag(name: .customLong("learn-only"), help: "Measure nothing: learn the spread from the runs already saved for this machine.")
    var learnOnly = false

    @OptionGroup var output: FormatOptions

    func validate() throws {
        try FlagRanges.calibrateRuns.check(runs)
        try FlagRanges.spacing.check(spacing)
    }

    func run() throws {
        let format = try output.resolve([.table, .json], default: .table)
        let env = EnvironmentCapture.capture()
        try SavedRuns.prepare(for: env, under: resultsDir)
        if !learnOnly {
            let (benchmarks, plan) = try measuring.plan(patterns: patterns)
            StopSignals.install()
            let calibration = Calibration(
                runs: runs, spacing: spacing, now: Date.init,
                wait: StopSignals.wait(until:),
                measure: { try MeasureOptions.measure(benchmarks, plan) },
                save: { report in
                    let path = try SavedRuns.save(Data(try PrettyJSON.string(report, pretty: false).utf8), for: report, under: resultsDir)
                    StandardError.write(Data("saved \(Escape.terminal(path))\n".utf8))
                    return path
                },
                say: { StandardError.write(Data((Escape.terminal($0) + "\n").utf8)) })
            let (_, stopped) = try calibration.perform()
            if stopped {
                StandardError.write(Data("calibrate: stopped; the runs taken are saved, no spread learned\n".utf8))
                throw ExitCode(128 + max(sc_stop_signal(), 2))
            }
        }
        let store = SpreadStore(root: resultsDir)
        guard let (spread, path) = try store.learn(machine: env.fingerprint.key, kernel: env.kernel.release, onSkip: {
            StandardError.write(Data("calibrate: \(Escape.terminal($0))\n".utf8))
        }) else {
            throw SysCostError.usage("fewer than \(BetweenRunSpread.minimumRuns) complete runs of this machine (\(env.fingerprint.key)) on \(env.kernel.release) under \(resultsDir): no spread learned")
        }
        StandardError.write(Data("calibrate: wrote \(Escape.terminal(path))\n".utf8))
        try CommandOutput.emit(format == .json ? try PrettyJSON.string(spread) : Self.table(spread), to: nil, fallbackName: "spread")
    }

    /// The spread as a table: each benchmark's between-run and within-run standard deviation.
    static func table(_ s: BetweenRunSpread) -> String {
        let rows = s.entries.map { e in
            [e.id.description, Format.percent(exp(e.logSD) - 1), Format.percent(exp(e.withinLogVariance.squareRoot()) - 1), "\(e.runs)"]
        }
        return Escape.terminal("Between-run spread, \(s.source()):\n", keepingNewlines: true)
            + TextRenderer.align(Table(header: ["benchmark", "between runs (sd)", "within a run (sd)", "runs"], rows: rows, numericColumns: [1, 2, 3]))
            + "\n"
    }
}
