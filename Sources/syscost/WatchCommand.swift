import ArgumentParser
import CSysCost
import Foundation
import SysCost
import SysCostAnalysis
import SysCostModel
import SysCostRender
import SysCostStatistics

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
            A pass that finds a regression is confirmed by a second one --confirm-after seconds \
            later, the two judged together (a shared host's slow phase passes, a kernel's cost \
            stays); the metrics are then the second pass's figures and the joint verdict. \
            The metrics file is written even when the run was interrupted or did not pass: \
            syscost_gate_pass 0 says so. \(GateOutcome.table)
            """)

    @Argument(help: "Glob patterns on ids; none: the watch's short matrix (--preset watch).")
    var patterns: [String] = []

    @OptionGroup var measuring: MeasureOptions
    @OptionGroup var judging: JudgingOptions

    @Option(help: ArgumentHelp("The between-run spread to judge by (default: learned from the watch's own passes under <state-dir>/runs, once there are three).", valueName: "file"))
    var spread: String?

    @Option(help: ArgumentHelp("How the rows' false alarms are controlled: \(FamilyControl.allCases.map(\.rawValue).joined(separator: " or ")) (default holm).", valueName: "control"))
    var family: FamilyControl = .holm

    @Option(name: .customLong("state-dir"), help: "Where runs and the baseline are kept (default: /var/lib/syscost).")
    var stateDir = "/var/lib/syscost"

    @Option(name: .customLong("textfile-dir"), help: "node_exporter's --collector.textfile.directory (default: /var/lib/prometheus/node-exporter).")
    var textfileDir = "/var/lib/prometheus/node-exporter"

    @Option(name: .customLong("metrics-file"), help: "The file's name in --textfile-dir (default: syscost.prom).")
    var metricsFile = "syscost.prom"

    @Option(name: .customLong("confirm-after"), help: ArgumentHelp(
        "When the check finds a regression, measure again after this many seconds and judge both passes together, by the undisturbed cost of their pooled rounds (\(FlagRanges.confirmAfter.text); default 600): a shared host's slow phase seldom lasts that long, a kernel's cost does.",
        valueName: "seconds"))
    var confirmAfter: Double = 600

    @Flag(name: .customLong("no-confirm"), help: "Judge the first pass alone.")
    var noConfirm = false

    var metricsPath: String { (textfileDir as NSString).appendingPathComponent(metricsFile) }
    var runs: String { (stateDir as NSString).appendingPathComponent("runs") }
    var baselines: BaselineStore { BaselineStore(directory: (stateDir as NSString).appendingPathComponent("baselines")) }

    func validate() throws {
        try FlagRanges.confirmAfter.check(confirmAfter)
        guard metricsFile.hasSuffix(".prom"), !metricsFile.contains("/"), !metricsFile.hasPrefix(".") else {
            throw ValidationError("--metrics-file is a file name ending in .prom, without '/' (got '\(metricsFile)'): the textfile collector reads *.prom")
        }
    }

    func run() throws {
        let (benchmarks, plan) = try measuring.plan(patterns: patterns.isEmpty && measuring.preset == nil && measuring.only.isEmpty
                                                    ? SelectionPreset.watch.patterns : patterns)
        // Every place written is checked before anything is measured.
        try CommandOutput.check(metricsPath)
        let tree = Tree(stateDir)
        for folder in [runs, baselines.directory] {
            try tree.checkWritable(folder)
            try ResultWriter.prepare(directory: folder)
        }
        let thresholds = try judging.loadThresholds()
        let lock = try Self.lock((stateDir as NSString).appendingPathComponent("watch.lock"))
        defer { close(lock) }

        var passes = [try MeasureOptions.measure(benchmarks, plan)]
        do {
            try judgeAndWrite(&passes, benchmarks: benchmarks, plan: plan, thresholds: thresholds)
        } catch let error where !(error is ExitCode) {
            // The pass measured but could not be saved, judged or written: the metrics say
            // so, never an older pass's "pass" left standing.
            let reason = (error as? SysCostError)?.description ?? "\(error)"
            do {
                try CommandOutput.emit(PrometheusRenderer.renderFailedPass(machine: passes[0].environment.fingerprint.key.rawValue, reason: reason),
                                       to: metricsPath, fallbackName: "syscost.prom")
            } catch let failed as SysCostError where failed.description != reason {
                // Said before the pass's own error, which decides the status.
                StandardError.write("error: \(Escape.terminal(failed.description))\n")
            }
            throw error
        }
    }

    /// The rest of a pass once it has measured: file it, judge it (confirming a regression),
    /// adopt a baseline, write the metrics.
    private func judgeAndWrite(_ passes: inout [RunReport], benchmarks: [Benchmark], plan: RunPlan, thresholds: Thresholds) throws {
        if !passes[0].interrupted { try save(passes[0]) }
        let name = String(passes[0].environment.fingerprint.key.rawValue.prefix(64))
        let stored = try baselines.loadIfPresent(name)
        if stored == nil && Self.complete(passes[0]) { try adopt(passes[0], as: name, because: "the first complete run of this machine") }
        let baseline = stored ?? passes[0]
        // The machine's between-run spread, learned from the watch's own passes (--spread: a file).
        let spread = try self.spread.map { try SpreadStore.load($0) } ?? learnedSpread(baseline)
        let judge = { (passes: [RunReport]) in
            try Comparison.compare(Comparison.Side("baseline '\(name)'", baseline), Comparison.Side(passes.count > 1 ? "both passes" : "this run", passes),
                                   thresholds: thresholds, alpha: judging.alpha, power: judging.power, estimator: judging.estimator,
                                   spread: spread, family: family)
        }
        var comparison = try judge(passes)
        var stoppedWaiting = false
        if !comparison.regressions.isEmpty && !passes[0].interrupted && !noConfirm {
            if waitToConfirm(comparison.regressions.count) {
                passes.append(try MeasureOptions.measure(benchmarks, plan))
                if !passes[1].interrupted { try save(passes[1]) }
                comparison = try judge(passes)
            } else { stoppedWaiting = true }
        }
        let latest = passes[passes.count - 1]
        let passed = comparison.incomplete.isEmpty && comparison.regressions.isEmpty && passes.allSatisfy(Self.complete)
        if stored != nil && passed && baseline.environment.kernel.release != latest.environment.kernel.release {
            try adopt(latest, as: name, because: "it passed on a new kernel (\(baseline.environment.kernel.release) before)")
        }
        // A regression left unconfirmed (stopped while waiting) is no verdict: the run's figures only.
        let metrics = try latest.export(as: .openmetrics) + (stoppedWaiting ? "" : comparison.export(as: .openmetrics))
        try CommandOutput.emit(metrics, to: metricsPath, fallbackName: "syscost.prom")
        if stoppedWaiting || passes.contains(where: \.interrupted) { throw ExitCode(128 + sc_stop_signal()) }
        try GateOutcome.conclude(comparison, command: "watch", against: "baseline '\(name)'")
        if !passes.allSatisfy(Self.complete) { throw ExitCode(GateOutcome.incompleteStatus) }
    }

    /// The spread of the passes filed for the baseline's machine under its kernel, learned
    /// anew (and kept beside them); else the newest learned for another kernel; nil with fewer
    /// than three passes.
    private func learnedSpread(_ baseline: RunReport) throws -> BetweenRunSpread? {
        let store = SpreadStore(root: runs)
        let machine = baseline.environment.fingerprint.key, kernel = baseline.environment.kernel.release
        if let (spread, _) = try store.learn(machine: machine, kernel: kernel, estimator: judging.estimator) { return spread }
        return try store.lookup(machine: machine, kernel: kernel)
    }

    /// Not interrupted, and no benchmark failed its check.
    static func complete(_ report: RunReport) -> Bool {
        !report.interrupted && report.results.allSatisfy { $0.status == .ok || $0.status == .skipped }
    }

    /// Waits --confirm-after seconds before the confirming pass; false when SIGINT or SIGTERM
    /// came first (the first pass's metrics are written all the same).
    private func waitToConfirm(_ regressions: Int) -> Bool {
        StandardError.write(Data("watch: \(regressions) regression\(regressions == 1 ? "" : "s") in this pass; measuring again in \(Int(confirmAfter.rounded())) s to confirm (--no-confirm: judge one pass)\n".utf8))
        return StopSignals.wait(until: Date().addingTimeInterval(confirmAfter))
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
        let path = try SavedRuns.save(Data(try PrettyJSON.string(report).utf8), for: report, under: runs)
        StandardError.write(Data("saved \(Escape.terminal(path))\n".utf8))
    }

    private func adopt(_ report: RunReport, as name: String, because reason: String) throws {
        let path = try baselines.save(report, as: name)
        StandardError.write(Data("watch: baseline \(Escape.terminal(path)) is now this run: \(Escape.terminal(reason))\n".utf8))
    }
}
