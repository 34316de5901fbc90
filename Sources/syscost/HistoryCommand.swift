import ArgumentParser
import Foundation
import SysCostAnalysis
import SysCostModel
import SysCostRender

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Tabulate many runs: rows are benchmarks, columns runs in kernel-version order, each compared with the first.",
        discussion: "Paths are report files or directories searched for *.json (e.g. results/). Exit status: 0, or 2 on bad input.")

    @Argument(help: "Report files or directories.") var paths: [String] = []

    @OptionGroup var significance: SignificanceOptions

    @OptionGroup var format: FormatOptions

    @Option(help: "Write to this file (atomically) instead of stdout.")
    var output: String?

    func validate() throws {
        guard !paths.isEmpty else { throw ValidationError("give at least one report file or directory (e.g. results/)") }
    }

    func run() throws {
        let history = History.build(try ReportLoader.collect(paths), threshold: significance.fraction, alpha: significance.alpha)
        let chosen = try format.resolve(OutputFormat.allCases, default: .table)
        let text = try HistoryFormat(rawValue: chosen.rawValue)!.export(history)
        if let output {
            try AtomicFile.write(Data(text.utf8), to: output)
            FileHandle.standardError.write(Data("wrote \(output)\n".utf8))
        } else {
            print(text, terminator: "")
        }
    }
}
