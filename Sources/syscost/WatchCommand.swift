import ArgumentParser
import CSysCost
import Foundation
import SysCost
import SysCostAnalysis
import SysCostModel
import SysCostRender

/// `syscost watch`: one pass of the fleet watch that contrib/systemd runs after boot and daily.
/// It measures the short matrix, files the run, checks it against this machine's baseline, and
/// writes the run's and the gate's metrics as one `.prom` file, atomically, where node_exporter's
/// textfile collector reads it (contrib/prometheus alerts on it).
struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Measure the short matrix, save it, check it against this machine's baseline, write a .prom file for node_exporter.",
        discussion: """
            The baseline is <state-dir>/baselines/<machine key>.json: the first complete run of a \
            machine becomes it, and so does the first run on a new kernel that passes the check. \
            A run that regressed leaves it as it was, so the alert holds until an operator accepts \
            the new kernel (`syscost baseline save <machine key> <run> --dir <state-dir>/baselines`). \
            Runs go to <state-dir>/runs (as `run --save` files them, for `syscost history`). \
            The metrics file is written even when the run was interrupted or did not pass: \
            syscost_gate_pass 0 says so. \(GateOutcome.table)
            """)

    @Argument(help: "Glob patterns on ids; none: the watch's short matrix (--preset watch).")
    var patterns: [String] = []

    @OptionGroup var measuring: MeasureOptions
    @OptionGroup var judging: JudgingOptions

    @Option(name: .customLong("state-dir"), help: "Where runs and the baseline are kept (default: /var/lib/syscost).")
    var stateDir = "/var/lib/syscost"

    @Option(name: .customLong("textfile-dir"), help: "node_exporter's --collector.textfile.directory (default: /var/lib/prometheus/node-exporter).")
    var textfileDir = "/var/lib/prometheus/node-exporter"

    @Option(name: .customLong("metrics-file"), help: "The file's name in --textfile-dir (default: syscost.prom).")
    var metricsFile = "syscost.prom"

    var metricsPath: String { (textfileDir as NSString).appendingPathComponent(metricsFile) }
    var runs: String { (stateDir as NSString).appendingPathComponent("runs") }
    var baselines: BaselineStore { BaselineStore(directory: (stateDir as NSString).appendingPathComponent("baselines")) }

    func validate() throws {
        guard metricsFile.hasSuffix(".prom"), !metricsFile.contains("/"), !metricsFile.hasPrefix(".") else {
            throw ValidationError("--metrics-file is a file name ending in .prom, without '/' (got '\(metricsFile)'): the textfile collector reads *.prom")
        }
    }

    func run() throws {
        let (benchmarks, plan) = try measuring.plan(patterns: patterns.isEmpty && measuring.preset == nil && measuring.only.isEmpty
                                                    ? SelectionPreset.watch.patterns : patterns)
        // Every place written is checked before anything is measured.
        try CommandOutput.check(metricsPath)
        try ResultWriter.prepare(directory: runs)
        try ResultWriter.prepare(directory: baselines.directory)
        let thresholds = try judging.loadThresholds()
        let lock = try Self.lock((stateDir as NSString).appendingPathComponent("watch.lock"))
        defer { close(lock) }

        let report = try MeasureOptions.measure(benchmarks, plan)
        let complete = !report.interrupted && report.results.allSatisfy { $0.status == .ok || $0.status == .skipped }
        if !report.interrupted { try save(report) }
        let name = String(report.environment.fingerprint.key.rawValue.prefix(64))
        let hadBaseline = try baselines.loadIfPresent(name) != nil
        if !hadBaseline && complete { try adopt(report, as: name, because: "the first complete run of this machine") }
        let baseline = try baselines.loadIfPresent(name) ?? report
        let comparison = try Comparison.compare(
            base: baseline, new: report, baseName: "baseline '\(name)'", newName: "this run", thresholds: thresholds,
            alpha: judging.alpha, power: judging.power, estimator: judging.estimator)
        let passed = comparison.incomplete.isEmpty && comparison.regressions.isEmpty && complete
        if hadBaseline && passed && baseline.environment.kernel.release != report.environment.kernel.release {
            try adopt(report, as: name, because: "it passed on a new kernel (\(baseline.environment.kernel.release) before)")
        }
        let metrics = try report.export(as: .openmetrics) + comparison.export(as: .openmetrics)
        try CommandOutput.emit(metrics, to: metricsPath, fallbackName: "syscost.prom")
        if report.interrupted { throw ExitCode(128 + sc_stop_signal()) }
        try GateOutcome.conclude(comparison, command: "watch", against: "baseline '\(name)'")
        if !complete { throw ExitCode(GateOutcome.incompleteStatus) }
    }

    /// Holds the state folder for this pass: a second watch (the timer and a hand-started one)
    /// would measure on the same CPU and race for the baseline. Released when the process ends.
    static func lock(_ path: String) throws -> Int32 {
        let fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw SysCostError.usage("cannot open \(path): \(String(cString: strerror(errno)))") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw SysCostError.usage("another syscost watch holds \(path): one pass at a time")
        }
        return fd
    }

    /// Files the run as `run --save` does.
    private func save(_ report: RunReport) throws {
        let path = SavedRuns.path(for: report, under: runs)
        try ResultWriter.prepare(directory: (path as NSString).deletingLastPathComponent)
        try ResultWriter.write(Data(try PrettyJSON.string(report).utf8), to: path, fallbackName: URL(fileURLWithPath: path).lastPathComponent)
        FileHandle.standardError.write(Data("saved \(Escape.terminal(path))\n".utf8))
    }

    private func adopt(_ report: RunReport, as name: String, because reason: String) throws {
        let path = try baselines.save(report, as: name)
        FileHandle.standardError.write(Data("watch: baseline \(Escape.terminal(path)) is now this run: \(Escape.terminal(reason))\n".utf8))
    }
}
