import CSysCost
import Foundation
import SysCostModel

/// One benchmark during a run, and the batches it has taken.
final class Job {
    enum State {
        /// Not set up yet (a signal stopped the run before it was).
        case pending
        /// Set up, checked and calibrated: it takes batches.
        case live(Fixture)
        /// Its set-up, check or a batch failed; its peer (if any) is stopped.
        case failed(String)
        /// It cannot run here, or nothing needs it any more: not a failure.
        case skipped(String)
    }

    let benchmark: Benchmark
    var state: State
    var iterations = 0
    var batches: [Batch] = []
    /// What the counting batches counted, and their median ns/op.
    var counters: [CounterName: CounterValue]?
    var countingNsPerOp: Double?
    var distribution: Distribution?
    /// Why it took no more rounds before the last (its median was precise enough, or the
    /// time budget ran out); nil while it takes every round.
    var settled: StopReason?
    /// The A/B's "with" batches (`--seccomp`, `--speculation`), each with the index in
    /// `batches` of the plain batch of its round.
    var knobBatches: [(round: Int, batch: Batch)] = []

    init(_ benchmark: Benchmark, fixture: Fixture? = nil) {
        self.benchmark = benchmark
        state = fixture.map(State.live) ?? .pending
    }

    var fixture: Fixture? {
        if case .live(let f) = state { return f }
        return nil
    }

    /// Ends the job, dropping its fixture (which stops and reaps a peer).
    func fail(_ error: Error) {
        state = error is Skip ? .skipped("\(error)") : .failed("\(error)")
    }

    /// The twin that times this job's batches in a process of its own (a `*/libc` benchmark in
    /// the lean twin), or nil: the runner's thread times them.
    var twin: Twin?
    /// Something its result must say about how it was measured.
    var note: Warning?

    /// Runs one batch of `iterations` (the before/after hooks untimed around it).
    func timeBatch(_ fixture: Fixture) -> Batch {
        benchmark.beforeBatch?(fixture)
        let batch = Batch.time(benchmark.loop, fixture.ctx, iterations: iterations)
        benchmark.afterBatch?(fixture)
        return batch
    }

    /// Batches taken again because the scheduler preempted the measuring thread in them, and
    /// batches kept although it did (every retake was preempted too).
    var retaken = 0
    var keptPreempted = 0
    /// A preempted batch is taken again up to this many times.
    static let retakes = 3

    /// One batch, here or in the job's twin, and whether the scheduler preempted the task
    /// that took it. Throws when the twin went away.
    private func takeBatch(_ fixture: Fixture) throws -> (batch: Batch, preempted: Bool) {
        if let twin {
            guard let taken = twin.timeWithPreemption(self) else { throw CheckFailure("the \(twin.kind.name) went away") }
            return taken
        }
        let before = Self.involuntarySwitches()
        let batch = timeBatch(fixture)
        return (batch, Self.involuntarySwitches() != before)
    }

    /// One batch the scheduler did not interrupt, if one of `retakes + 1` tries gets through.
    /// Another task's time slice in a batch is not the operation's cost (here a 2 ms getppid
    /// batch came out 4.6× slow with a busy loop on its CPU): noise only adds time, and this is
    /// the clearest case of it. Only for benchmarks of one thread: a ping-pong's peer preempts
    /// the measuring thread by design, and so may a child a fork benchmark makes.
    func timeUnpreemptedBatch(_ fixture: Fixture) throws -> Batch {
        guard fixture.peerTasks == nil, !benchmark.makesTasks else { return try takeBatch(fixture).batch }
        var attempt = 0
        while true {
            let (batch, preempted) = try takeBatch(fixture)
            if !preempted { return batch }
            if attempt == Self.retakes {
                keptPreempted += 1
                return batch
            }
            retaken += 1
            attempt += 1
        }
    }

    /// The measuring thread's involuntary context switches so far (getrusage RUSAGE_THREAD).
    static func involuntarySwitches() -> Int {
        var usage = rusage()
        getrusage(__rusage_who_t(1), &usage)  // RUSAGE_THREAD
        return usage.ru_nivcsw
    }

    /// Throws when a batch had to stop early (a dead or stuck peer), saying why.
    func checkAfterBatch(stop: StopSource = .signals) throws {
        guard let fixture else { return }
        let code = fixture.ctx.pointee.error
        let died = fixture.failure?(code == SC_PEER_GONE || code == -Int(EPIPE))
        if code == 0 && died == nil { return }
        if code == -Int(EINTR) && stop.requested() { throw CheckFailure("interrupted") }
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
}
