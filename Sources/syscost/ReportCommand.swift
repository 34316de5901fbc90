import ArgumentParser
import Foundation
import SysCostModel
import SysCostRender

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Show a saved run in any format, or write a self-contained HTML report (inline SVG, no scripts, nothing fetched) of one run or many.",
        discussion: """
            One report file: printed as `run` prints it (--format table, markdown, csv, json, html, openmetrics, bmf, github-action-benchmark or google-benchmark). \
            With --html FILE and a directory or several files: their history across kernels with a trend \
            chart per benchmark, then the newest run in detail.
            """)

    @Argument(help: "A report file, or directories and files of reports.")
    var paths: [String] = []

    @Option(help: "Write a self-contained HTML page to this file.")
    var html: String?

    @OptionGroup var format: FormatOptions

    @OptionGroup var selection: FilterOptions

    @Option(help: "Write to this file (atomically) instead of stdout.")
    var output: String?

    func validate() throws {
        guard !paths.isEmpty else { throw ValidationError("give a report file or a directory of reports") }
        if html != nil && (format.given || output != nil) { throw ValidationError("--html writes a page; give it alone, or use --format html --output FILE") }
    }

    func run() throws {
        try CommandOutput.check(html, output)
        let progress = StepProgress()
        defer { progress.finish() }
        // Every run's timings; the one shown in detail (the newest, or the only one) is read whole.
        let filter = selection.filter
        let runs = try progress.readRuns(paths, filter: filter)
        guard let newest = HTMLReport.newest(runs) else { return }
        let report = filter.apply(try ReportLoader.load(runs[newest].path))
        if let html {
            progress.phase("writing \(html) (\(runs.count) runs)")
            try CommandOutput.emit(HTMLReport.page(runs, newest: report), to: html, fallbackName: "report.html")
            return
        }
        let chosen = try format.resolve(RunReport.formats, default: output.flatMap {
            OutputFormat(pathExtension: URL(fileURLWithPath: $0).pathExtension) } ?? .table)
        if chosen == .html {
            try CommandOutput.emit(HTMLReport.page(runs, newest: report), to: output, fallbackName: "report.html")
            return
        }
        guard runs.count == 1 else {
            throw SysCostError.usage("\(runs.count) reports given: --format \(chosen.rawValue) shows one run (use `syscost history` for several, or --html)")
        }
        try CommandOutput.emit(report, as: chosen, to: output, fallbackName: "report")
    }
}
