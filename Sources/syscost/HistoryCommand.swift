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

    @Flag(help: "Keep each machine's between-run spread learned from these runs beside them (DIR/<machine>/<kernel>/between-runs.spread, where compare --spread-dir DIR finds it): a kernel matrix's boots, judged one run a side. Takes one directory.")
    var keepSpread = false

    @OptionGroup var format: FormatOptions

    @Option(help: "Write to this file (atomically) instead of stdout.")
    var output: String?

    func validate() throws {
        guard !paths.isEmpty else { throw ValidationError("give at least one report file or directory (e.g. results/)") }
        try FlagRanges.last.check(last)
        if keepSpread {
            var isDirectory: ObjCBool = false
            guard paths.count == 1, FileManager.default.fileExists(atPath: paths[0], isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ValidationError("--keep-spread takes one results directory, where the spreads are kept beside the runs")
            }
        }
    }

    func run() throws {
        try CommandOutput.check(output)
        let progress = StepProgress()
        defer { progress.finish() }
        let reports = try progress.readRuns(paths, filter: selection.filter)
        progress.phase("comparing \(reports.count) runs")
        let histories = History.perMachine(reports, thresholds: try judging.loadThresholds(),
                                           instructionThresholds: try judging.loadThresholds(for: .guestInstructions), alpha: judging.alpha,
                                           power: judging.power, estimator: judging.estimator, machine: machine, last: last)
        if histories.isEmpty, let machine {
            let keys = Set(reports.map { $0.1.environment.fingerprint.key.rawValue }).sorted()
            throw SysCostError.usage("no machine's key starts with '\(machine)'; the runs are of \(keys.joined(separator: ", "))")
        }
        if keepSpread {
            for h in histories {
                guard let spread = h.spread else {
                    progress.note("no spread kept for \(h.machine): fewer than \(BetweenRunSpread.minimumRuns) complete runs of it, or a degree of freedom short")
                    continue
                }
                let files = try SpreadStore(root: paths[0]).keep(spread, kernels: Array(Set(h.runs.map(\.kernel))).sorted())
                progress.note("kept the spread of \(spread.runs) runs of \(h.machine) in \(files.count) kernel folder(s) under \(paths[0])")
            }
        }
        let chosen = try format.resolve(HistoryDocument.formats, default: .table)
        let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init) ?? 160
        try CommandOutput.emit(HistoryDocument(histories), as: chosen, ExportOptions(width: columns), to: output, fallbackName: "history")
    }
}
