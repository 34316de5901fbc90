import CSysCost
import Foundation
import SysCostModel
import SysCostSuites
import SysCostStatistics

/// Measures benchmarks on one pinned CPU, in phases: setup, prepare (check and calibrate
/// each benchmark), measure (R rounds of one batch each, round-robin unless told otherwise),
/// count, per-call distributions, then results with the empty loop's cost subtracted and
/// each suite's derived figures. It knows no suite by name.
public final class Runner {
    public static let cvWarning = 0.05
    public static let outlierWarningShare = 0.10

    let plan: RunPlan
    let host: HostSystem
    let onProgress: ((RunProgress) -> Void)?
    let onPhase: ((RunPhase) -> Void)?
    /// Whether to stop after the current batch: SIGINT or SIGTERM noted, in a real run.
    let stop: StopSource

    public convenience init(plan: RunPlan, host: HostSystem = .live, onPhase: ((RunPhase) -> Void)? = nil,
                onProgress: ((RunProgress) -> Void)? = nil) {
        self.init(plan: plan, host: host, stop: .signals, onPhase: onPhase, onProgress: onProgress)
    }

    init(plan: RunPlan, host: HostSystem, stop: StopSource, onPhase: ((RunPhase) -> Void)?, onProgress: ((RunProgress) -> Void)?) {
        self.plan = plan
        self.host = host
        self.stop = stop
        self.onPhase = onPhase
        self.onProgress = onProgress
    }

    /// The CPU a run measures on: the plan's (the CLI picks the quietest), or the last allowed one.
    public static func chooseCPU(_ requested: Int?) throws -> Int {
        let allowed = CPUSet.allowed()
        if let requested {
            guard allowed.contains(requested) else {
                throw SysCostError.usage("CPU \(requested) is not in this process's allowed set; allowed CPUs: \(CPUSet.describe(allowed))")
            }
            return requested
        }
        guard let last = allowed.last else { throw SysCostError.system("sched_getaffinity", errno) }
        return last
    }

    /// Runs `benchmarks`; the calling thread's CPU mask is restored after.
    public func run(_ benchmarks: [Benchmark]) throws -> RunReport {
        let cpu = try Self.chooseCPU(plan.cpu)
        return try CPUSet.withPinned(to: cpu) { try measure(benchmarks, on: cpu) }
    }

    private func measure(_ benchmarks: [Benchmark], on cpu: Int) throws -> RunReport {
        let started = Date()
        if plan.warmupMs > 0 { onPhase?(.warmingUp(milliseconds: plan.warmupMs)) }
        let setup = try SetupPhase.run(plan, cpu: cpu, host: host, stop: stop)
        let minNs = plan.minBatchTimeMs * 1e6
        let (overhead, canary) = Self.referenceJobs(minimumNs: minNs, stop: stop)
        onPhase?(.preparing(benchmarks: benchmarks.count))
        let (jobs, twins) = prepare(benchmarks, minimumNs: minNs, cpu: cpu)
        defer { withExtendedLifetime(twins) {} }
        onPhase?(.measuring(benchmarks: jobs.filter { $0.fixture != nil }.count, rounds: plan.repetitions,
                             spanSeconds: plan.timeBudgetSeconds == nil ? plan.minimumSpanSeconds : nil, cpu: cpu))
        let half = try abHalf(cpu: cpu, jobs: jobs)
        let interrupted = measureRounds(overhead: overhead, canary: canary, jobs: jobs, half: half) || stop.requested()
        let access = PerfAccess.current(host: host)
        if !interrupted, jobs.contains(where: { $0.fixture != nil }), !plan.counters.isEmpty || jobs.contains(where: { $0.fixture?.peerTasks != nil }) {
            onPhase?(.counting)
            let counting = CountingPhase(plan: plan, access: access, host: host, stop: stop)
            for job in jobs where !stop.requested() && job.twin == nil { counting.count(job) }
        }
        let distributionWarning = interrupted ? nil : timeSingleCalls(jobs, tscHz: setup.tscHz)
        var results = self.results(jobs, overhead: overhead, tsc: setup.tscHz != nil, distributionWarning: distributionWarning,
                                   unpaired: half?.unpairedWarning)
        Suites.derive(&results, in: RunContext(environment: setup.environment, interleaved: plan.interleave))
        if setup.environment.instructionClock != nil { for i in results.indices { results[i].countGuestInstructions() } }
        // A stop during counting or single-call timing leaves those figures out: the run says so too.
        var report = RunReport(environment: setup.environment, config: config(cpu: cpu, started: started, access: access),
                               results: results, interrupted: interrupted || stop.requested())
        if !canary.batches.isEmpty {
            let samples = canary.batches.map(\.nsPerOp)
            report.canary = HostCanary(samples: samples, nsPerOp: Statistics.median(samples),
                                       ghz: Double(SC_CANARY_CHAIN) * 3 / Statistics.median(samples))
        }
        return report
    }

    /// The empty loop (what the loop itself costs per op, subtracted from every sample) and
    /// the host canary (user-space work timed in every round beside the benchmarks, so a
    /// comparison can tell the host's own change of speed from the kernel's), calibrated.
    static func referenceJobs(minimumNs: Double, stop: StopSource) -> (overhead: Job, canary: Job) {
        let overhead = Job(Benchmark(BenchmarkID(SuiteName("overhead"), "empty", "loop"), category: .processControl,
                                     description: "the batch loop with an empty body", loop: sc_loop_empty,
                                     check: { _ in }), fixture: Fixture())
        overhead.iterations = Batch.calibrate(sc_loop_empty, overhead.fixture!.ctx, minimumNs: minimumNs, stop: stop)
        let canary = Job(Benchmark(BenchmarkID(SuiteName("host"), "canary"), category: .processControl,
                                   description: "\(SC_CANARY_CHAIN) dependent multiplies", loop: sc_loop_canary,
                                   check: { _ in }), fixture: Fixture())
        canary.iterations = Batch.calibrate(sc_loop_canary, canary.fixture!.ctx, minimumNs: minimumNs, stop: stop)
        return (overhead, canary)
    }

    /// The "with" half of the run's A/B, if it has one.
    func abHalf(cpu: Int, jobs: [Job]) throws -> ABHalf? {
        try plan.ab.map { setting in
            switch setting {
            case .seccomp(let filter): return try Twin(.filtered(filter), cpu: cpu, jobs: jobs.filter { $0.twin == nil })
            case .speculation(let knob): return try SpeculationToggle(knob, control: plan.speculationControl, host: host)
            }
        }
    }

    /// Each job's result, the empty loop's cost subtracted; `unpaired` is said on every
    /// measured result the A/B could not pair.
    func results(_ jobs: [Job], overhead: Job, tsc: Bool, distributionWarning: Warning?, unpaired: Warning?) -> [BenchmarkResult] {
        let overheadNs = overhead.batches.isEmpty ? 0 : Statistics.median(overhead.batches.map(\.nsPerOp))
        let overheadCycles = overhead.batches.isEmpty ? 0 : Statistics.median(overhead.batches.map(\.cyclesPerOp))
        return jobs.map { job in
            var r = result(for: job, overheadNs: overheadNs, overheadCycles: overheadCycles, tsc: tsc)
            if let distributionWarning, job.fixture != nil { r.warnings.append(distributionWarning) }
            if let unpaired, r.knobCost == nil, r.summary != nil { r.warnings.append(unpaired) }
            return r
        }
    }

    /// How the run was configured, as its report records it.
    func config(cpu: Int, started: Date, access: PerfAccess) -> RunConfig {
        var config = RunConfig(settings: plan.recorded, cpu: cpu, startedAt: ISO8601DateFormatter().string(from: started),
                               durationSeconds: Date().timeIntervalSince(started))
        if !plan.counters.isEmpty { config.counterAccess = access }
        return config
    }

    /// Sets each benchmark up, checks it and calibrates its batch, in the order the twins need:
    /// the lean twin's jobs, then that twin is forked (small and single-threaded); the threaded
    /// twin's jobs, then it is forked; the runner's own jobs last, those that start threads
    /// after the rest.
    func prepare(_ benchmarks: [Benchmark], minimumNs: Double, cpu: Int) -> (jobs: [Job], twins: [Twin]) {
        let jobs = benchmarks.map { Job($0) }
        let singleThreaded = sc_libc_single_threaded() != 0
        func phase(_ process: MeasuringProcess, _ startsThreads: Bool) -> [Job] {
            let these = jobs.filter { $0.benchmark.process == process && $0.benchmark.startsThreads == startsThreads }
            for job in these { prepare(job, minimumNs: minimumNs) }
            return these
        }
        var twins: [Twin] = []
        let lean = phase(.leanTwin, false)
        twins += startTwin(.lean, cpu: cpu, jobs: lean)
        _ = phase(.leanTwin, true)  // none in the catalog: a thread would make the twin's parent multi-threaded; timed here
        if !singleThreaded {
            for job in lean where Suites.usesLibc(job.benchmark.id) { job.note = Warning(.multiThreaded, Self.multiThreadedWarning) }
        }
        twins += startTwin(.threaded, cpu: cpu, jobs: phase(.threadedTwin, false) + phase(.threadedTwin, true))
        _ = phase(.runner, false) + phase(.runner, true)
        return (jobs, twins)
    }

    private func prepare(_ job: Job, minimumNs: Double) {
        if stop.requested() { return }
        let benchmark = job.benchmark
        do {
            let fixture = try benchmark.prepare()
            job.state = .live(fixture)
            benchmark.beforeBatch?(fixture)
            job.iterations = Batch.calibrate(benchmark.loop, fixture.ctx, minimumNs: minimumNs, stop: stop)
            benchmark.afterBatch?(fixture)
            try job.checkAfterBatch(stop: stop)
        } catch {
            job.fail(error)
        }
    }

    /// Forks a twin for the live `jobs` that a twin can time (the others are timed here); a
    /// twin that cannot start fails its jobs.
    func startTwin(_ kind: Twin.Kind, cpu: Int, jobs: [Job]) -> [Twin] {
        let wanted = jobs.filter(Twin.canTime)
        guard !wanted.isEmpty, !stop.requested() else { return [] }
        do {
            let twin = try Twin(kind, cpu: cpu, jobs: wanted)
            for job in wanted { job.twin = twin }
            return [twin]
        } catch {
            for job in wanted { job.fail(error) }
            return []
        }
    }

    static let multiThreadedWarning = "timed in a process forked from one that had had a second thread (a test runner, a library's user), where glibc's cancellation-point wrappers take their longer path; the syscost command times it single-threaded"

    /// The timed batches, in rounds (`RoundPolicy` decides which and when); true when the stop
    /// source ended them.
    func measureRounds(overhead: Job, canary: Job, jobs: [Job], half: ABHalf? = nil) -> Bool {
        let clock = MonotonicClock()
        return RoundPolicy(plan).run(always: [overhead, canary], jobs: jobs, ab: half.map { h in { h.takes($0) } }, clock: clock,
                                     stop: stop, take: { job, abFirst in
            guard let half, let withFirst = abFirst else { return self.timeOne(job, jobs: jobs) }
            let round = job.batches.count
            if withFirst, let b = half.time(job) { job.knobBatches.append((round, b)) }
            self.timeOne(job, jobs: jobs)
            if !withFirst, let b = half.time(job) { job.knobBatches.append((round, b)) }
        }, progress: { p, job in
            self.report(p.done, of: p.total, job, elapsed: clock.seconds(), round: p.round, rounds: p.rounds, atLeast: p.atLeast)
        })
    }

    /// One batch of `job`, kept, or the job failed (and the baselines only it needed stopped).
    private func timeOne(_ job: Job, jobs: [Job]) {
        guard let fixture = job.fixture else { return }  // failed during the run
        do {
            let batch = try job.timeUnpreemptedBatch(fixture)
            try job.checkAfterBatch(stop: stop)
            job.batches.append(batch)
        } catch {
            if stop.requested() { return }
            job.fail(error)
            Self.releaseBaselines(of: job, in: jobs)
        }
    }

    private func report(_ done: Int, of total: Int, _ job: Job, elapsed: Double, round: Int, rounds: Int, atLeast: Bool) {
        guard let onProgress else { return }
        var eta = elapsed / Double(max(done, 1)) * Double(max(total - done, 0))
        if let budget = plan.timeBudgetSeconds { eta = min(eta, max(budget - elapsed, 0)) }
        if atLeast, let span = plan.minimumSpanSeconds { eta = max(eta, span - elapsed) }
        onProgress(RunProgress(done: done, total: total, id: job.benchmark.id, etaSeconds: eta, round: round, rounds: rounds,
                               atLeast: atLeast))
    }

    /// Stops the baselines only `failed` needed (a no-switch loop whose ping-pong died), so a
    /// run does not go on measuring what nothing will use. They keep what they measured.
    static func releaseBaselines(of failed: Job, in jobs: [Job]) {
        let live = jobs.filter { $0.fixture != nil }
        for relation in failed.benchmark.relations {
            guard let baseline = live.first(where: { $0.benchmark.id == relation.id }),
                  !live.contains(where: { $0.benchmark.relations.contains { $0.id == relation.id } }) else { continue }
            baseline.state = .skipped("stopped: \(failed.benchmark.id), which needed it, failed")
        }
    }

    /// Per-call latencies of every live job (`--distribution`); a warning when the TSC cannot
    /// time single calls.
    func timeSingleCalls(_ jobs: [Job], tscHz: Double?) -> Warning? {
        guard plan.distributionCalls > 0 else { return nil }
        guard let tscHz else {
            return Warning(.noDistribution, "the TSC is not invariant, so single calls cannot be timed with it")
        }
        onPhase?(.timingSingleCalls)
        let timer = Distribution.TimerPair(calls: plan.distributionCalls)
        for job in jobs where !stop.requested() {
            guard let fixture = job.fixture, job.twin == nil, let each = sc_each_for(job.benchmark.loop) else { continue }
            job.distribution = Distribution.measure(each, fixture.ctx, calls: plan.distributionCalls, timer: timer, tscHz: tscHz, stop: stop)
        }
        return nil
    }

    /// What a result must say about its samples and how they were taken.
    private func warnings(for job: Job, samples: [Double], summary: Summary?, status: ResultStatus) -> [Warning] {
        var warnings: [Warning] = []
        if let summary, samples.count > 1 {
            if summary.cv > Self.cvWarning {
                warnings.append(Warning(.noisy, String(format: "CV %.1f%% exceeds %.0f%%", summary.cv * 100, Self.cvWarning * 100)))
            }
            let outliers = Statistics.madOutliers(samples)
            if Double(outliers.count) > Self.outlierWarningShare * Double(samples.count) {
                warnings.append(Warning(.outliers, "\(outliers.count) of \(samples.count) samples are more than 3 MADs (and 1%) from the median"))
            }
        }
        if let note = job.note { warnings.append(note) }
        if job.keptPreempted > 0 {
            warnings.append(Warning(.preempted, "\(job.keptPreempted) of \(job.batches.count) batches were preempted by another task in every one of \(Job.retakes + 1) tries; \(job.retaken) preempted batches were taken again"))
        }
        if job.settled == .budget, let precision = plan.targetPrecision {
            let half = summary?.halfWidth.flatMap { h in summary.map { h / $0.median } }
            warnings.append(Warning(.imprecise, String(format: "the time budget ran out after %d rounds with the median known to ±%@, not ±%.1f%%",
                                                       job.batches.count, half.map { String(format: "%.1f%%", $0 * 100) } ?? "? (no interval)", precision * 100)))
        }
        if status == .interrupted {
            warnings.append(Warning(.interrupted, "after \(job.batches.count) of \(plan.repetitions) repetitions"))
        }
        return warnings
    }

    private func result(for job: Job, overheadNs: Double, overheadCycles: Double, tsc: Bool) -> BenchmarkResult {
        let b = job.benchmark
        let samples = job.batches.map { ($0.nsPerOp - overheadNs) / b.perOp }
        let summary = Summary(samples: samples)
        let status: ResultStatus
        var error: String?
        switch job.state {
        case .skipped(let why): status = .skipped; error = why
        case .failed(let why): status = .failed; error = why
        case .live, .pending: status = job.batches.count < plan.repetitions && job.settled == nil ? .interrupted : .ok
        }
        let warnings = self.warnings(for: job, samples: samples, summary: summary, status: status)
        let cycles = tsc && !job.batches.isEmpty
            ? (Statistics.median(job.batches.map(\.cyclesPerOp)) - overheadCycles) / b.perOp : nil
        var result = BenchmarkResult(id: b.id, category: b.category, description: b.description,
                                     syscallsPerOp: b.syscallsPerOp, iterationsPerBatch: job.iterations,
                                     overheadNs: overheadNs, samples: samples, summary: summary, tscCyclesPerOp: cycles,
                                     warnings: warnings, status: status, error: error)
        result.unit = b.unit
        result.relations = b.relations
        result.counters = job.counters
        result.counterMetrics = job.counters.flatMap(CounterMetric.compute)
        result.distribution = job.distribution
        result.retakenBatches = job.retaken > 0 ? job.retaken : nil
        result.stoppedBy = job.settled
        // The A/B: each "with" batch against the plain batch of its round (a round whose plain
        // batch failed has no pair).
        let pairs = job.knobBatches.filter { $0.round < samples.count }
        if !pairs.isEmpty {
            let with = pairs.map { ($0.batch.nsPerOp - overheadNs) / b.perOp }, without = pairs.map { samples[$0.round] }
            if let added = PairedEstimate.over([with, without], interleaved: true, { $0[0] - $0[1] }) {
                result.figures.append(DerivedFigure(.knobCost, added, unit: b.unit == .nsPerSwitch ? .nsPerSwitch : .nsPerOp))
            }
        }
        if let counted = job.countingNsPerOp, let median = summary?.median, median > 0 {
            result.countingOverhead = (counted - overheadNs) / b.perOp / median - 1
        }
        return result
    }
}
