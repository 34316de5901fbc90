import ArgumentParser
import Foundation
import SysCostAnalysis
import SysCostModel
import SysCostRender

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Tabulate many runs, one table per machine: rows are benchmarks, columns runs in kernel-version order, each compared with the first.",
        discussion: """
            Paths are report files or directories searched for *.json (e.g. results/). Runs of \
            different machines, or of an emulated CPU and hardware, are never compared: each machine \
            gets its own table. An interrupted run shows its changes without verdicts. A table wider \
            than the terminal turns into one block per benchmark. Exit status: 0, or 2 on bad input.
            """)

    @Argument(help: "Report files or directories.")
    var paths: [String] = []

    @OptionGroup var judging: JudgingOptions

    @OptionGroup var selection: FilterOptions

    @Option(help: ArgumentHelp("Only the machine whose key starts with this (see the 'Machine' lines).", valueName: "key"))
    var machine: String?

    @Option(help: ArgumentHelp("Only each machine's newest N runs (by start time; \(FlagRanges.last.text)).", valueName: "N"))
    var last: Int?

    @OptionGroup var format: FormatOptions

    @Option(help: "Write to this file (atomically) instead of stdout.")
    var output: String?

    func validate() throws {
        guard !paths.isEmpty else { throw ValidationError("give at least one report file or directory (e.g. results/)") }
        try FlagRanges.last.check(last)
    }

    func run() throws {
        try CommandOutput.check(output)
        let progress = StepProgress()
        defer { progress.finish() }
        let reports = try progress.readRuns(paths, filter: selection.filter)
        progress.phase("comparing \(reports.count) runs")
        let histories = History.perMachine(reports, thresholds: try judging.loadThresholds(), alpha: judging.alpha,
                                           power: judging.power, estimator: judging.estimator, machine: machine, last: last)
        if histories.isEmpty, let machine {
            let keys = Set(reports.map { $0.1.environment.fingerprint.key.rawValue }).sorted()
            throw SysCostError.usage("no machine's key starts with '\(machine)'; the runs are of \(keys.joined(separator: ", "))")
        }
        let chosen = try format.resolve(HistoryDocument.formats, default: .table)
        let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init) ?? 160
        try CommandOutput.emit(HistoryDocument(histories), as: chosen, ExportOptions(width: columns), to: output, fallbackName: "history")
    }
}
