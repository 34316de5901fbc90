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

    @Flag(help: "Every suite with fewer repetitions (\(RunPlan.quickPreset.repetitions)) and shorter batches (\(Int(RunPlan.quickPreset.minBatchTimeMs)) ms).")
    var quick = false

    @Option(help: "CPU to pin the measuring thread to (default: the last allowed CPU).")
    var cpu: Int?

    @Option(help: "Repetitions: timed batches per benchmark (default \(RunPlan.standard.repetitions)).")
    var repetitions: Int?

    @Option(name: .customLong("min-batch-time"), help: "Minimum duration of one batch in ms (default \(Int(RunPlan.standard.minBatchTimeMs))).")
    var minBatchTime: Double?

    @Option(help: "Busy warm-up before measuring, in ms (default \(Int(RunPlan.defaultWarmupMs))): an idle CPU runs slow for a while after it wakes.")
    var warmup: Double?

    @Option(name: .customLong("distribution"), help: ArgumentHelp(
        "Also time N calls one by one per benchmark (fenced TSC pairs) and report percentiles.",
        valueName: "calls"))
    var distributionCalls: Int?

    @Option(help: ArgumentHelp(
        "Install a seccomp filter before timing: N (an allow-all filter of N instructions that read the arguments, run on every call), 'cached' (checks the architecture only: cached per syscall by Linux ≥ 5.11) or 'docker-like' (an allowlist shaped like docker's default profile).",
        valueName: "spec"))
    var seccomp: String?

    @Option(name: .customLong("working-set"), help: ArgumentHelp(
        "Sizes each side of a pipe ping-pong touches between switches (default 0,4K,16K,64K,256K,1M,4M): ids get @SIZE.",
        valueName: "sizes"))
    var workingSet: String?

    @Option(help: ArgumentHelp(
        "Count events per op, in batches of their own after the timed ones: comma-separated names libpfm4 knows (as `perf list` spells them; ':u' user mode, ':k' kernel mode), or 'default' (\(CounterEvent.defaultNames.map(\.rawValue).joined(separator: ","))). `syscost counters` shows what this machine can count.",
        valueName: "list"))
    var counters: String?

    @Flag(name: .customLong("no-interleave"), help: "Run each benchmark's repetitions back to back instead of round-robin.")
    var noInterleave = false

    @Option(help: "Write the report to this file (atomically).")
    var output: String?

    @Flag(help: "Also save the JSON report as <results-dir>/<host>/<kernel release>/<UTC time>.json, for `syscost history`.")
    var save = false

    @Option(name: .customLong("results-dir"), help: "Where --save writes (default: results).")
    var resultsDir = "results"

    @OptionGroup(title: "Format: table, markdown, csv, json or html. With --output, the file's format (default: its extension's, else json); without, stdout's.")
    var format: FormatOptions

    func validate() throws {
        if let repetitions, repetitions < 1 { throw ValidationError("--repetitions must be at least 1 (got \(repetitions))") }
        if let minBatchTime, !(minBatchTime > 0) { throw ValidationError("--min-batch-time must be a positive number of ms") }
        if let distributionCalls, distributionCalls < 100 || distributionCalls > 10_000_000 {
            throw ValidationError("--distribution takes a number of calls from 100 to 10000000 (got \(distributionCalls))")
        }
        if let warmup, !(warmup >= 0) { throw ValidationError("--warmup must be a number of ms, 0 or more") }
        _ = try format.resolve(OutputFormat.allCases, default: .table)
    }

    func run() throws {
        let setup = CatalogSetup(workingSets: try workingSet.map(CatalogSetup.parseSizes) ?? CatalogSetup.defaultWorkingSets)
        let benchmarks = try Catalog.select(patterns, from: Catalog.all(setup))
        _ = try Runner.chooseCPU(cpu)  // a bad --cpu is a usage error before anything runs
        var plan = RunPlan(quick: quick, cpu: cpu, patterns: patterns, repetitions: repetitions,
                           minBatchTimeMs: minBatchTime, warmupMs: warmup, interleave: !noInterleave)
        plan.distributionCalls = distributionCalls ?? 0
        plan.seccomp = try seccomp.map(SeccompFilter.init(spec:))  // a bad spec is a usage error before anything runs
        if let counters {
            do { plan.counters = try CounterEvent.parseList(counters) } catch let error as EventEncodingError {
                throw SysCostError.usage("unknown counter \(error); `syscost counters` lists what this machine can count")
            }
            if plan.counters.isEmpty { throw SysCostError.usage("--counters needs at least one name, or 'default'") }
            if let note = PerfAccess.current().note { FileHandle.standardError.write(Data("note: \(note)\n".utf8)) }
        }
        let stdoutFormat = output == nil ? try format.resolve(OutputFormat.allCases, default: .table) : .table
        let fileFormat = try output.map { path in
            try format.resolve(OutputFormat.allCases,
                               default: OutputFormat(pathExtension: URL(fileURLWithPath: path).pathExtension) ?? .json)
        }

        StopSignals.install()
        let progress = ProgressReporter(terminal: isatty(STDERR_FILENO) == 1)
        let report = try Runner(plan: plan, onPhase: progress.phase, onProgress: progress.update).run(benchmarks)
        progress.clear()

        print(try RunRenderer.render(report, as: stdoutFormat), terminator: "")
        if let output, let fileFormat {
            try AtomicFile.write(Data(try RunRenderer.render(report, as: fileFormat).utf8), to: output)
            FileHandle.standardError.write(Data("wrote \(output)\n".utf8))
        }
        if save {
            let path = SavedRuns.path(for: report, under: resultsDir)
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try AtomicFile.write(Data(try PrettyJSON.string(report).utf8), to: path)
            FileHandle.standardError.write(Data("saved \(path)\n".utf8))
        }
        if report.interrupted { throw ExitCode(128 + sc_stop_signal()) }
        if report.results.contains(where: { $0.status == .failed }) { throw ExitCode.failure }
    }
}

/// SIGINT and SIGTERM ask the runner to stop after the current batch; the report keeps what
/// was measured.
enum StopSignals {
    static func install() {
        sc_stop_reset()
        var action = sigaction()
        action.__sigaction_handler.sa_handler = sc_stop_handler
        sigemptyset(&action.sa_mask)
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for signal in [SIGINT, SIGTERM] {
            sigaction(signal, &action, nil)
            sigaddset(&unblock, signal)
        }
        // A parent may have started us with them blocked.
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
    }
}

/// Progress on stderr. Each phase gets a line as it begins. On a terminal, "[12/540]
/// syscall/read/raw  ETA 4s" on one line, at most ten times a second; elsewhere (a CI log, a
/// test waiting for the run to reach a state) a line per round.
final class ProgressReporter {
    let terminal: Bool
    private var last = Date.distantPast
    private var reportedRound = 0

    init(terminal: Bool) { self.terminal = terminal }

    func phase(_ phase: RunPhase) {
        let text: String
        switch phase {
        case .preparing(let n): text = "preparing \(n) benchmark\(n == 1 ? "" : "s") (checks against libc, calibration)"
        case .measuring(let n, let rounds, let cpu): text = "measuring \(n) benchmark\(n == 1 ? "" : "s") in \(rounds) rounds on CPU \(cpu)"
        case .counting: text = "counting events in batches of their own"
        case .timingSingleCalls: text = "timing single calls"
        }
        clear()
        FileHandle.standardError.write(Data("syscost: \(text)\n".utf8))
    }

    func update(_ p: RunProgress) {
        if !terminal {
            guard p.round > reportedRound else { return }
            reportedRound = p.round
            FileHandle.standardError.write(Data("syscost: round \(p.round)/\(p.rounds) done, ETA \(Int(p.etaSeconds.rounded(.up))) s\n".utf8))
            return
        }
        let now = Date()
        guard now.timeIntervalSince(last) >= 0.1 || p.done == p.total else { return }
        last = now
        let line = "\r\u{1B}[K[\(p.done)/\(p.total)] \(p.id)  ETA \(Int(p.etaSeconds.rounded(.up)))s"
        FileHandle.standardError.write(Data(line.utf8))
    }

    func clear() { if terminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) } }
}
