import CSysCost
import Foundation

/// How a run measures.
public struct RunOptions {
    public var cpu: Int?
    public var repetitions: Int
    public var minBatchTimeMs: Double
    public var interleave: Bool
    public var quick: Bool
    public var patterns: [String]
    /// Busy time before anything is measured (see `Runner.warmUp`).
    public var warmupMs: Double
    /// Per-call latency distributions: calls timed one by one per benchmark (0: none).
    public var distributionCalls: Int = 0
    /// A seccomp filter installed on the measuring thread before timing.
    public var seccomp: SeccompFilter?
    /// Counters to count per op (`--counters`); a ping-pong's context switches always are.
    public var counters: [CounterEvent] = []
    /// Untimed-for-results batches per benchmark that carry the counters.
    public var countingBatches: Int { quick ? 1 : 3 }

    public static let defaultRepetitions = 15
    public static let defaultWarmupMs = 200.0
    public static let defaultMinBatchTimeMs = 10.0
    public static let quickRepetitions = 5
    public static let quickMinBatchTimeMs = 2.0

    public init(cpu: Int? = nil, repetitions: Int = defaultRepetitions, minBatchTimeMs: Double = defaultMinBatchTimeMs,
                interleave: Bool = true, quick: Bool = false, patterns: [String] = [],
                warmupMs: Double = defaultWarmupMs) {
        self.warmupMs = warmupMs
        self.cpu = cpu; self.repetitions = repetitions; self.minBatchTimeMs = minBatchTimeMs
        self.interleave = interleave; self.quick = quick; self.patterns = patterns
    }
}

/// What the runner tells about its progress.
public struct RunProgress {
    public var done: Int
    public var total: Int
    public var id: String
    public var etaSeconds: Double
}

/// Measures benchmarks: pins, checks, calibrates, then takes R repetitions of one batch each,
/// round-robin across benchmarks unless told otherwise, and subtracts the empty loop's cost.
public final class Runner {
    public static let cvWarning = 0.05
    public static let outlierWarningShare = 0.10

    let options: RunOptions
    let onProgress: ((RunProgress) -> Void)?

    public init(options: RunOptions, onProgress: ((RunProgress) -> Void)? = nil) {
        self.options = options
        self.onProgress = onProgress
    }

    /// The CPU a run measures on: `--cpu`, or the last allowed one.
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

    /// One benchmark's state during a run.
    final class Job {
        let benchmark: Benchmark
        var fixture: Fixture?
        var error: String?
        var skipped = false
        var iterations = 0
        var batches: [Batch] = []
        /// What the counting batches counted, and their median ns/op.
        var counters: [String: CounterValue]?
        var countingNsPerOp: Double?
        init(_ benchmark: Benchmark) { self.benchmark = benchmark }
    }

    /// Runs `benchmarks` on one pinned CPU; the calling thread's CPU mask is restored after.
    public func run(_ benchmarks: [Benchmark]) throws -> RunReport {
        let cpu = try Self.chooseCPU(options.cpu)
        return try CPUSet.withPinned(to: cpu) { try measure(benchmarks, on: cpu) }
    }

    private func measure(_ benchmarks: [Benchmark], on cpu: Int) throws -> RunReport {
        let started = Date()
        Self.warmUp(milliseconds: options.warmupMs)
        let installed = try options.seccomp.map { try Self.install($0, cpu: cpu) }
        var environment = EnvironmentCapture.capture()
        let tscHz: Double? = environment.tsc.invariant
            ? TSCCalibration.frequencyHz(durationNs: options.quick ? 5_000_000 : 20_000_000) : nil
        environment.tsc.frequencyHz = tscHz
        environment.tsc.calibratedAgainst = tscHz == nil ? nil : "CLOCK_MONOTONIC_RAW"
        environment.seccomp.installed = installed
        let minNs = options.minBatchTimeMs * 1e6
        // The empty loop: what the loop itself costs per op, subtracted from every sample.
        let empty = Fixture()
        let overhead = Job(Benchmark(suite: "overhead", name: "empty", variant: "loop", category: .processControl,
                                     description: "the batch loop with an empty body", loop: sc_loop_empty,
                                     check: { _ in }))
        overhead.fixture = empty
        overhead.iterations = Batch.calibrate(sc_loop_empty, empty.ctx, minimumNs: minNs)

        let jobs = benchmarks.map(Job.init)
        for job in jobs {
            do {
                let fixture = try job.benchmark.prepare()
                job.fixture = fixture
                job.benchmark.beforeBatch?(fixture)
                job.iterations = Batch.calibrate(job.benchmark.loop, fixture.ctx, minimumNs: minNs)
                job.benchmark.afterBatch?(fixture)
                try Self.checkAfterBatch(job)
            } catch {
                job.error = "\(error)"
                job.skipped = error is Skip
                job.fixture = nil
            }
            if sc_stop_signal() != 0 { break }
        }

        let timed = [overhead] + jobs.filter { $0.fixture != nil }
        let reps = options.repetitions
        let order: [Job] = options.interleave
            ? (0..<reps).flatMap { _ in timed }
            : timed.flatMap { job in Array(repeating: job, count: reps) }
        let clock = Date()
        var interrupted = false
        for (index, job) in order.enumerated() {
            if sc_stop_signal() != 0 { interrupted = true; break }
            guard let fixture = job.fixture else { continue }  // failed during the run
            if job === overhead, !jobs.contains(where: { $0.fixture != nil }) { break }  // nothing left to measure
            job.benchmark.beforeBatch?(fixture)
            let batch = Batch.time(job.benchmark.loop, fixture.ctx, iterations: job.iterations)
            job.benchmark.afterBatch?(fixture)
            do {
                try Self.checkAfterBatch(job)
                job.batches.append(batch)
            } catch {
                if sc_stop_signal() != 0 { interrupted = true; break }
                job.error = "\(error)"
                job.fixture = nil  // stops and reaps its peer now
                Self.releaseBaselines(of: job, in: jobs)
            }
            if let onProgress {
                let elapsed = Date().timeIntervalSince(clock)
                let eta = elapsed / Double(index + 1) * Double(order.count - index - 1)
                onProgress(RunProgress(done: index + 1, total: order.count, id: job.benchmark.id, etaSeconds: eta))
            }
        }
        interrupted = interrupted || sc_stop_signal() != 0
        let access = PerfAccess.current()
        if !interrupted { for job in jobs where sc_stop_signal() == 0 { count(job, access: access) } }

        var distributions: [ObjectIdentifier: Distribution] = [:]
        var distributionNote: String?
        if options.distributionCalls > 0, !interrupted {
            if let tscHz {
                let timer = Distribution.TimerPair(calls: options.distributionCalls)
                for job in jobs where job.fixture != nil && sc_stop_signal() == 0 {
                    guard let each = sc_each_for(job.benchmark.loop) else { continue }
                    distributions[ObjectIdentifier(job)] = Distribution.measure(
                        each, job.fixture!.ctx, calls: options.distributionCalls, timer: timer, tscHz: tscHz)
                }
            } else {
                distributionNote = "no distribution: the TSC is not invariant, so single calls cannot be timed with it"
            }
        }

        let overheadNs = overhead.batches.isEmpty ? 0 : Statistics.median(overhead.batches.map(\.nsPerOp))
        let overheadCycles = overhead.batches.isEmpty ? 0 : Statistics.median(overhead.batches.map(\.cyclesPerOp))
        var results = jobs.map { job in
            var r = result(for: job, overheadNs: overheadNs, overheadCycles: overheadCycles, tsc: tscHz != nil,
                           interrupted: interrupted)
            r.distribution = distributions[ObjectIdentifier(job)]
            if let distributionNote, job.fixture != nil { r.warnings.append(distributionNote) }
            return r
        }
        VDSOSuite.annotate(&results, clocksource: environment.clocksource)
        CtxSwitchSuite.annotate(&results)
        IndirectSuite.annotate(&results)
        var config = RunConfig(patterns: options.patterns, cpu: cpu, repetitions: reps,
                               minBatchTimeMs: options.minBatchTimeMs, interleave: options.interleave,
                               quick: options.quick, warmupMs: options.warmupMs, startedAt: ISO8601DateFormatter().string(from: started),
                               durationSeconds: Date().timeIntervalSince(started))
        if !options.counters.isEmpty {
            config.counters = options.counters.map(\.name)
            config.counterAccess = access
            config.countingBatches = options.countingBatches
        }
        return RunReport(environment: environment, config: config, results: results, interrupted: interrupted)
    }

    /// Stops the baselines only `failed` needed (a no-switch loop whose ping-pong died), so a
    /// run does not go on measuring what nothing will use. They keep what they measured.
    static func releaseBaselines(of failed: Job, in jobs: [Job]) {
        let live = jobs.filter { $0.fixture != nil }
        for id in failed.benchmark.requires {
            guard let baseline = live.first(where: { $0.benchmark.id == id }),
                  !live.contains(where: { $0.benchmark.requires.contains(id) }) else { continue }
            baseline.fixture = nil
            baseline.skipped = true
            baseline.error = "stopped: \(failed.benchmark.id), which needed it, failed"
        }
    }

    /// Counts the job's events in batches of their own, after the timed ones: an open
    /// per-task event slows what it watches (here every switch of a watched task, +25%), so
    /// no timed batch carries one. These batches are timed too, and the difference from the
    /// timed median is reported as the counting overhead.
    func count(_ job: Job, access: PerfAccess) {
        guard let fixture = job.fixture else { return }
        var events = options.counters
        if fixture.peerTasks != nil, !events.contains(where: { $0.name == CounterEvent.contextSwitches.name }) {
            events.append(.contextSwitches)
        }
        guard !events.isEmpty else { return }
        func allUnavailable(_ reason: String) -> [String: CounterValue] {
            Dictionary(events.map { ($0.name, CounterValue.unavailable(reason)) }, uniquingKeysWith: { a, _ in a })
        }
        var tasks: [pid_t] = [0]
        switch fixture.peerTasks?() {
        case .success(let peers): tasks += peers
        case .failure(let failure): job.counters = allUnavailable(failure.description); return
        case nil: break
        }
        let set = CounterSet(events: events, tasks: tasks, access: access,
                             describe: { $0 == 0 ? "the measuring thread" : "the peer (task \($0))" })
        var times: [Double] = []
        while set.isCounting && times.count < options.countingBatches && sc_stop_signal() == 0 {
            job.benchmark.beforeBatch?(fixture)
            set.begin()
            let batch = Batch.time(job.benchmark.loop, fixture.ctx, iterations: job.iterations)
            set.end()
            job.benchmark.afterBatch?(fixture)
            do { try Self.checkAfterBatch(job) } catch {
                job.counters = allUnavailable("the counting batch failed: \(error)")
                return
            }
            times.append(batch.nsPerOp)
        }
        job.counters = set.values(ops: job.iterations * times.count)
        job.countingNsPerOp = times.isEmpty ? nil : Statistics.median(times)
    }

    /// Throws when a batch had to stop early (a dead or stuck peer), saying why.
    static func checkAfterBatch(_ job: Job) throws {
        guard let fixture = job.fixture else { return }
        let code = fixture.ctx.pointee.error
        let died = fixture.failure?(code == SC_PEER_GONE || code == -Int(EPIPE))
        if code == 0 && died == nil { return }
        if code == -Int(EINTR) && sc_stop_signal() != 0 { throw CheckFailure("interrupted") }
        var message: String
        switch code {
        case 0, SC_PEER_GONE: message = "the peer went away"
        case -Int(EINTR):
            message = String(format: "no answer from the peer within %.0f s (batch timeout)", Double(fixture.ctx.pointee.timeout_ns) / 1e9)
        default: message = "the ping-pong failed: \(String(cString: strerror(Int32(-code))))"
        }
        if let died { message += ": " + died }
        throw CheckFailure(message)
    }

    /// Installs `filter` on this thread, timing raw getppid just before and after.
    static func install(_ filter: SeccompFilter, cpu: Int) throws -> EnvironmentInfo.SeccompInstalled {
        func probe() -> Double {
            let ctx = Fixture()
            let n = Batch.calibrate(sc_loop_getppid_raw, ctx.ctx, minimumNs: 5e6)
            return Statistics.median((0..<9).map { _ in Batch.time(sc_loop_getppid_raw, ctx.ctx, iterations: n).nsPerOp })
        }
        var slope: SeccompSlope?
        if case .argumentReading = filter { slope = try SeccompSlope.measure(cpu: cpu) }
        let before = probe()
        try filter.install()
        let after = probe()
        return .init(spec: filter.description, kind: filter.kind, instructions: filter.program.count,
                     getppidBeforeNs: before, getppidAfterNs: after, costPerCallNs: after - before,
                     costPerInstructionNs: slope?.perInstructionNs, slope: slope)
    }

    /// Keeps the CPU entering the kernel for `milliseconds` before measuring. A CPU that was
    /// idle runs slow for a while after it wakes (seen here: getppid at ~143 ns for the first
    /// ~70 ms of a loop, then ~117 ns), and a batch that lands in that phase is an outlier.
    static func warmUp(milliseconds: Double) {
        let ctx = Fixture()
        let end = sc_clock_raw_ns() + UInt64(milliseconds * 1e6)
        while sc_clock_raw_ns() < end { sc_loop_invalid_raw(ctx.ctx, 1000) }
    }

    private func result(for job: Job, overheadNs: Double, overheadCycles: Double, tsc: Bool,
                        interrupted: Bool) -> BenchmarkResult {
        let b = job.benchmark
        let samples = job.batches.map { ($0.nsPerOp - overheadNs) / b.perOp }
        var warnings: [String] = []
        let summary = Summary(samples: samples)
        if let summary, samples.count > 1 {
            if summary.cv > Self.cvWarning {
                warnings.append(String(format: "noisy: CV %.1f%% exceeds %.0f%%", summary.cv * 100, Self.cvWarning * 100))
            }
            let outliers = Statistics.madOutliers(samples)
            if Double(outliers.count) > Self.outlierWarningShare * Double(samples.count) {
                warnings.append("outliers: \(outliers.count) of \(samples.count) samples are more than 3 MADs (and 1%) from the median")
            }
        }
        let status: ResultStatus = job.skipped ? .skipped : job.error != nil ? .failed
            : (job.batches.count < options.repetitions ? .interrupted : .ok)
        if status == .interrupted { warnings.append("interrupted: after \(job.batches.count) of \(options.repetitions) repetitions") }
        let cycles = tsc && !job.batches.isEmpty
            ? (Statistics.median(job.batches.map(\.cyclesPerOp)) - overheadCycles) / b.perOp : nil
        var result = BenchmarkResult(id: b.id, suite: b.suite, category: b.category.rawValue, description: b.description,
                               syscallsPerOp: b.syscallsPerOp, iterationsPerBatch: job.iterations,
                               overheadNs: overheadNs, samples: samples, summary: summary, tscCyclesPerOp: cycles,
                               warnings: warnings, status: status, error: job.error)
        result.unit = b.unit
        result.counters = job.counters
        result.derived = job.counters.flatMap(DerivedMetrics.compute)
        if let counted = job.countingNsPerOp, let median = summary?.median, median > 0 {
            result.countingOverhead = (counted - overheadNs) / b.perOp / median - 1
        }
        return result
    }
}
