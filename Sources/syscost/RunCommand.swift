import ArgumentParser
import CSysCost
import Foundation
import SysCost
import SysCostModel
import SysCostRender

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run benchmarks and report ns/op.",
        discussion: """
            Pins to one CPU, checks each benchmark against libc, calibrates a batch to at least \
            --min-batch-time, then takes --repetitions batches, interleaved across benchmarks. \
            The empty loop's cost is subtracted. A human table goes to stdout; --output writes a \
            report file (JSON unless --format or the file's extension says otherwise).
            """)

    @Argument(help: "Glob patterns on ids ('syscall/*', '*/raw', 'syscall'); none runs every suite.")
    var patterns: [String] = []

    @OptionGroup var measuring: MeasureOptions

    @Option(help: "Write the report to this file (atomically).")
    var output: String?

    @Flag(help: "Also save the JSON report as <results-dir>/<machine key>/<kernel release>/<UTC time>.json, for `syscost history`.")
    var save = false

    @Flag(name: .customLong("save-partial"), help: "With --save: file the report even when a signal interrupted the run.")
    var savePartial = false

    @Flag(help: "Indent JSON reports (they are written on one line by default).")
    var pretty = false

    @Option(name: .customLong("results-dir"), help: "Where --save writes (default: results).")
    var resultsDir = "results"

    @OptionGroup(title: "Format: \(OutputFormat.list(RunReport.formats)). With --output, the file's format (default: its extension's, else json); without, stdout's.")
    var format: FormatOptions

    func validate() throws {
        _ = try format.resolve(RunReport.formats, default: .table)
    }

    func run() throws {
        let (benchmarks, plan) = try measuring.plan(patterns: patterns)
        // Where the report goes is checked before anything is measured.
        try CommandOutput.check(output)
        // The folder a saved run goes to, checked (and made) before anything is measured: a
        // file or a FIFO in its way is refused now, not after the measurement.
        if save { try SavedRuns.prepare(for: EnvironmentCapture.capture(), under: resultsDir) }
        let stdoutFormat = output == nil ? try format.resolve(RunReport.formats, default: .table) : .table
        let fileFormat = try output.map { path in
            try format.resolve(RunReport.formats,
                               default: OutputFormat(pathExtension: URL(fileURLWithPath: path).pathExtension) ?? .json)
        }

        let report = try MeasureOptions.measure(benchmarks, plan)

        var notWritten: [SysCostError] = []
        // A failed stdout loses nothing: the files are still written, and with none asked for,
        // the whole report is kept in a fallback file too.
        do {
            try CommandOutput.emit(report, as: stdoutFormat, ExportOptions(pretty: pretty), to: nil, fallbackName: "run")
        } catch let error as SysCostError {
            notWritten.append(error)
            if output == nil && !save {
                do {
                    let kept = try ResultWriter.writeFallback(Data(try PrettyJSON.string(report, pretty: pretty).utf8), name: "run.json")
                    notWritten.append(.notWritten("the whole report is in \(kept)"))
                } catch {
                    notWritten.append(.notWritten("nor could the report be kept in a fallback file (\(error))"))
                }
            }
        }
        if let output, let fileFormat {
            do {
                try CommandOutput.emit(report, as: fileFormat, ExportOptions(pretty: pretty), to: output, fallbackName: "run")
            } catch let error as SysCostError { notWritten.append(error) }
        }
        if save && report.interrupted && !savePartial {
            StandardError.write(Data("not saved: the run was interrupted, so its figures are partial; --save-partial files it anyway\n".utf8))
        } else if save {
            do {
                let path = try SavedRuns.save(Data(try PrettyJSON.string(report, pretty: pretty).utf8), for: report, under: resultsDir)
                StandardError.write(Data("saved \(Escape.terminal(path))\n".utf8))
            } catch let error as SysCostError {
                notWritten.append(error)
            }
        }
        for error in notWritten { StandardError.write(Data("error: \(error)\n".utf8)) }
        if report.interrupted { throw ExitCode(128 + sc_stop_signal()) }
        if !notWritten.isEmpty { throw ExitCode(3) }
        if report.results.contains(where: { $0.status == .failed }) { throw ExitCode.failure }
    }
}

