import ArgumentParser
import CSysCost
import Foundation
import SysCost
import SysCostModel
import SysCostSuites

/// How to measure: the options `run` and `baseline` share, turned into the benchmarks and
/// the `RunPlan` before anything is measured (a bad value is bad usage, exit 2, at once).
struct MeasureOptions: ParsableArguments {
    /// --only selects as a pattern does; --exclude leaves out (but a baseline a kept
    /// benchmark needs stays).
    @OptionGroup var selection: FilterOptions

    var only: [String] { selection.only }
    var exclude: [String] { selection.exclude }

    @Flag(help: "Every suite with fewer repetitions (\(RunSettings.quickPreset.repetitions)) and shorter batches (\(Int(RunSettings.quickPreset.minBatchTimeMs)) ms).")
    var quick = false

    @Option(help: ArgumentHelp("A named selection: 'lebench', every operation LEBench tracks across kernels (syscost list --lebench), the 1 GiB fork among them; 'watch', the fleet watch's short matrix (syscost watch).", valueName: "name"))
    var preset: SelectionPreset?

    @Option(help: "CPU to pin the measuring thread to (\(FlagRanges.cpu.text); default: the quietest allowed CPU, from a 100 ms sample; see `syscost doctor`).")
    var cpu: Int?

    @Option(name: [.customLong("repetitions"), .customLong("rounds")],
            help: "Rounds: timed batches per benchmark (\(FlagRanges.rounds.text), at most \(ReportLimits.samplesPerReport) for all benchmarks and the canary together; default \(RunSettings.standard.repetitions); with --time-budget, the most).")
    var repetitions: Int?

    @Option(name: .customLong("time-budget"), help: ArgumentHelp(
        "Take rounds until every median is known to --target-precision, or this many seconds have passed (at least \(RunPlan.minimumRounds) rounds; \(FlagRanges.timeBudget.text)).",
        valueName: "seconds"))
    var timeBudget: Double?

    @Option(name: .customLong("target-precision"), help: ArgumentHelp(
        "With --time-budget: the 95% interval's half-width, in percent of the median, that ends a benchmark's rounds (\(FlagRanges.targetPrecision.text); default 1).",
        valueName: "percent"))
    var targetPrecision: Double?

    @Option(help: "Seed of each round's random order (default: from the clock; the report records it).")
    var seed: UInt64?

    @Option(name: .customLong("min-batch-time"), help: "Minimum duration of one batch in ms (\(FlagRanges.minBatchTime.text); default \(Int(RunSettings.standard.minBatchTimeMs))).")
    var minBatchTime: Double?

    @Option(help: "Busy warm-up before measuring, in ms (\(FlagRanges.warmup.text); default \(Int(RunSettings.defaultWarmupMs))): an idle CPU runs slow for a while after it wakes.")
    var warmup: Double?

    @Option(name: .customLong("distribution"), help: ArgumentHelp(
        "Also time N calls one by one per benchmark (fenced TSC pairs) and report percentiles (\(FlagRanges.distribution.text)).",
        valueName: "calls"))
    var distributionCalls: Int?

    @Option(help: ArgumentHelp(
        "Measure each benchmark with and without a seccomp filter in the same run: N (an allow-all filter of N instructions that read the arguments, run on every call, N from 2 to \(SeccompFilter.maxInstructions)), 'cached' (checks the architecture only: cached per syscall by Linux ≥ 5.11) or 'docker-like' (an allowlist shaped like docker's default profile). A filtered twin process on the same CPU times a batch beside each unfiltered one; the report says what the filter adds, with an interval. Ping-pongs cannot run in the twin and are measured plainly.",
        valueName: "spec"))
    var seccomp: SeccompFilter?

    @Option(name: .customLong("seccomp-whole-run"), help: ArgumentHelp(
        "Install a seccomp filter (same specs as --seccomp) before timing: every benchmark is measured under it, ping-pongs too; compare against a run without it.",
        valueName: "spec"))
    var seccompWholeRun: SeccompFilter?

    @Option(help: ArgumentHelp(
        "Measure each benchmark with and without a per-task speculation control disabled, in the same run: indirect-branch (an IBPB on every switch into or out of the measuring thread, STIBP while it runs) or store-bypass (SSBD). The measuring thread switches it off around every other batch with prctl; the report says what it adds, with an interval. A control this kernel or CPU does not offer is refused with the reason.",
        valueName: "control"))
    var speculation: SpeculationKnob?

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

    func validate() throws {
        try Self.validate(cpu: cpu)
        // What `run` writes its own readers must take: no more rounds than a report may hold.
        try FlagRanges.rounds.check(repetitions)
        try FlagRanges.minBatchTime.check(minBatchTime)
        try FlagRanges.distribution.check(distributionCalls)
        try FlagRanges.warmup.check(warmup)
        try FlagRanges.timeBudget.check(timeBudget)
        if targetPrecision != nil && timeBudget == nil { throw ValidationError("--target-precision goes with --time-budget") }
        try FlagRanges.targetPrecision.check(targetPrecision)
        if noInterleave && timeBudget != nil { throw ValidationError("--time-budget takes interleaved rounds; leave out --no-interleave") }
        let abOptions = [seccomp.map { _ in "--seccomp" }, speculation.map { _ in "--speculation" }].compactMap { $0 }
        if abOptions.count > 1 { throw ValidationError("--seccomp and --speculation are each an in-run A/B of their own: give one") }
        if let option = abOptions.first {
            if seccompWholeRun != nil {
                throw ValidationError("\(option) measures with against without, --seccomp-whole-run filters every batch: give one")
            }
            if noInterleave { throw ValidationError("\(option) pairs batches by round: leave out --no-interleave") }
        }
    }

    /// A CPU number, as the kernel numbers them (whether it is allowed is checked before
    /// anything runs, naming the allowed set).
    static func validate(cpu: Int?) throws { try FlagRanges.cpu.check(cpu) }

    /// What `run` writes its own readers must take: the rounds of every benchmark and of the
    /// host canary, in all, within what a report may hold (exit 2, before anything is measured).
    static func checkReportHolds(rounds: Int, of benchmarks: Int) throws {
        let total = rounds.multipliedReportingOverflow(by: benchmarks + 1)
        guard !total.overflow, total.partialValue <= ReportLimits.samplesPerReport else {
            throw SysCostError.usage("--repetitions \(rounds) for \(benchmarks) benchmark(s) and the host canary is more rounds than a report holds (\(ReportLimits.samplesPerReport) in all): take fewer rounds, or fewer benchmarks")
        }
    }

    /// The benchmarks `patterns` and --only select, less --exclude (but for the baselines the
    /// kept ones need), and the plan to measure them with.
    func plan(patterns: [String]) throws -> ([Benchmark], RunPlan) {
        let setup = CatalogSetup(workingSets: try workingSet.map(CatalogSetup.parseSizes) ?? CatalogSetup.defaultWorkingSets)
        let selected = try Catalog.select(patterns + only + (preset?.patterns ?? []), from: Catalog.all(setup))
        let filter = ResultFilter(exclude: exclude)
        let benchmarks = Catalog.withBaselines(selected.filter { filter.keeps($0.id) }, from: selected)
        guard !benchmarks.isEmpty else { throw SysCostError.usage("--exclude left no benchmark to run") }
        _ = try Runner.chooseCPU(cpu)  // a bad --cpu is a usage error before anything runs
        // A control this machine does not offer is refused before anything is probed or measured.
        if let speculation, case .failure(let why) = SpeculationControl.live.availability(speculation) {
            throw why
        }
        // The quietest allowed CPU, unless told; a told one that is busy gets a warning.
        let allowed = CPUSet.allowed()
        let host = HostProbe.sample(cpus: allowed, milliseconds: 100, scans: 3)
        let chosen = cpu ?? host.quietest(among: allowed)
        if let chosen, host.verdict(for: chosen) != .quiet {
            let findings = host.findings(for: chosen, allowed: allowed).prefix(cpu == nil ? 1 : 2)
            if let load = host.load(chosen), load.busy > HostState.busyNoisy || !load.runnable.isEmpty {
                StandardError.write(Data("warning: \(findings.joined(separator: "; "))\n".utf8))
            }
        }
        // The settings, as the report will record them; then the runtime objects beside them.
        var settings = RunSettings(quick: quick, patterns: patterns + only + (preset?.patterns ?? []), repetitions: repetitions,
                                   minBatchTimeMs: minBatchTime, warmupMs: warmup, interleave: !noInterleave)
        if let seed { settings.seed = seed }
        if let timeBudget {
            settings.timeBudgetSeconds = timeBudget
            settings.targetPrecision = (targetPrecision ?? 1) / 100
            // The most rounds, when not told: as many as a report of these benchmarks holds.
            if repetitions == nil { settings.repetitions = min(100_000, ReportLimits.samplesPerReport / (benchmarks.count + 1)) }
        }
        var plan = RunPlan(settings: settings, cpu: chosen)
        plan.distributionCalls = distributionCalls ?? 0
        plan.hostState = host
        try Self.checkReportHolds(rounds: plan.repetitions, of: benchmarks.count)
        plan.seccomp = seccompWholeRun
        // At most one of them (validate() said so).
        if let seccomp { plan.ab = .seccomp(seccomp) }
        if let speculation { plan.ab = .speculation(speculation) }

        if let counters {
            do { plan.counters = try CounterEvent.parseList(counters) } catch let error as EventEncodingError {
                throw SysCostError.usage("unknown counter \(error); `syscost counters` lists what this machine can count")
            }
            if plan.counters.isEmpty { throw SysCostError.usage("--counters needs at least one name, or 'default'") }
            if plan.counters.count > ReportLimits.counters {
                throw SysCostError.usage("--counters takes at most \(ReportLimits.counters) events (got \(plan.counters.count)): a report holds no more")
            }
            if let note = PerfAccess.current().note { StandardError.write(Data("note: \(note)\n".utf8)) }
        }
        return (benchmarks, plan)
    }

    /// Measures, with progress on stderr; SIGINT and SIGTERM stop it after the current batch.
    static func measure(_ benchmarks: [Benchmark], _ plan: RunPlan) throws -> RunReport {
        StopSignals.install()
        let progress = ProgressReporter(terminal: isatty(STDERR_FILENO) == 1)
        defer { progress.clear() }
        return try Runner(plan: plan, onPhase: progress.phase, onProgress: progress.update).run(benchmarks)
    }
}

/// `--preset`: a selection by name.
enum SelectionPreset: String, ExpressibleByArgument, CaseIterable {
    case lebench
    case watch

    /// The ids it selects, as patterns (an id is a pattern that matches itself).
    var patterns: [String] {
        switch self {
        case .lebench: return LEBench.ids.map(\.description)
        case .watch: return Suites.watchIDs.map(\.description)
        }
    }
}
