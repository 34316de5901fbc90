import CSysCost
import Foundation
import SysCostModel
import SysCostStatistics

/// Seconds since a run's rounds began, as the round policy reads them: the runner's is the
/// monotonic clock, a test's a counter it moves itself.
protocol RunClock {
    func seconds() -> Double
}

/// The monotonic clock, from when it was made.
struct MonotonicClock: RunClock {
    private let start = DispatchTime.now().uptimeNanoseconds
    func seconds() -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
}

/// Whether the run should stop after the current batch. The runner's asks whether SIGINT or
/// SIGTERM reached the process (`sc_stop_signal`); a test gives its own.
struct StopSource: Sendable {
    let requested: @Sendable () -> Bool

    static let signals = StopSource { sc_stop_signal() != 0 }
    static let never = StopSource { false }
}

/// What the round policy needs of a benchmark being measured (a `Job`, or a test's stand-in).
protocol RoundTaker: AnyObject {
    /// Still being measured (not failed, not skipped).
    var isLive: Bool { get }
    /// Why it stopped taking rounds before the run did.
    var settled: StopReason? { get set }
    /// Its batches so far, in ns per op.
    var roundFigures: [Double] { get }
}

/// Which batches a run takes, in which order, and when it stops: the part of the runner that
/// decides, apart from the part that times. Interleaved, each round times every live
/// benchmark once in a seeded random order (google/benchmark's random interleaving: no
/// benchmark always follows the same neighbour), and an A/B's two halves go in an order
/// tossed per round; without a time budget rounds go on past `repetitions` until they span
/// `minimumSpanSeconds`; with one, a benchmark whose median is known to `targetPrecision`
/// stops taking rounds, and the run stops when all have or the budget is spent.
struct RoundPolicy {
    var repetitions: Int
    var interleave: Bool
    var seed: UInt64
    var timeBudgetSeconds: Double?
    var targetPrecision: Double?
    var minimumSpanSeconds: Double?

    init(_ plan: RunPlan) {
        repetitions = plan.repetitions; interleave = plan.interleave; seed = plan.seed
        timeBudgetSeconds = plan.timeBudgetSeconds; targetPrecision = plan.targetPrecision
        minimumSpanSeconds = plan.timeBudgetSeconds == nil ? plan.minimumSpanSeconds : nil
    }

    init(repetitions: Int, interleave: Bool = true, seed: UInt64 = 1, timeBudgetSeconds: Double? = nil,
         targetPrecision: Double? = nil, minimumSpanSeconds: Double? = nil) {
        self.repetitions = repetitions; self.interleave = interleave; self.seed = seed
        self.timeBudgetSeconds = timeBudgetSeconds; self.targetPrecision = targetPrecision
        self.minimumSpanSeconds = timeBudgetSeconds == nil ? minimumSpanSeconds : nil
    }

    /// Where a run has got, after each batch.
    struct Progress {
        var done: Int
        var total: Int
        var round: Int
        /// The rounds shown: 0 with a time budget (their number is open).
        var rounds: Int
        /// More rounds may follow (`minimumSpanSeconds`).
        var atLeast: Bool
    }

    /// One batch to take: of `taker`, and for an A/B benchmark whether the knob's half goes
    /// first (nil: no A/B for it).
    typealias Take<T> = (_ taker: T, _ abFirst: Bool?) -> Void

    /// Takes the rounds: `always` (the empty loop, the host canary) in every round beside the
    /// live `jobs`, the A/B only for those `ab` accepts. Returns true when `stop` ended them.
    func run<T: RoundTaker>(always: [T], jobs: [T], ab: ((T) -> Bool)?, clock: RunClock, stop: StopSource,
                            take: Take<T>, progress: (Progress, T) -> Void = { _, _ in }) -> Bool {
        guard interleave else { return runInSequence(always: always, jobs: jobs, stop: stop, take: take, progress: progress) }
        var rng = SplitMix64(seed: seed)
        let benchmarks = Set(jobs.map(ObjectIdentifier.init))
        let perRound = always.count + jobs.filter(\.isLive).count
        let shownRounds = timeBudgetSeconds == nil ? repetitions : 0
        let lastRound = minimumSpanSeconds == nil ? repetitions : max(repetitions, RunPlan.maximumSpreadRounds)
        var done = 0
        for round in 1...max(lastRound, 1) {
            if round > repetitions, let span = minimumSpanSeconds, clock.seconds() >= span { break }
            let live = jobs.filter { $0.isLive && $0.settled == nil }
            if live.isEmpty { break }
            var order = always + live
            order.shuffle(using: &rng)
            for taker in order {
                if stop.requested() { return true }
                let isAB = ab.map { benchmarks.contains(ObjectIdentifier(taker)) && $0(taker) && taker.isLive } ?? false
                // Which half goes first is a coin toss per round: neither always follows.
                take(taker, isAB ? rng.next() & 1 == 1 : nil)
                done += 1
                progress(Progress(done: done, total: perRound * max(repetitions, round), round: round - 1, rounds: shownRounds,
                                  atLeast: minimumSpanSeconds != nil), taker)
            }
            if let last = order.last {
                progress(Progress(done: done, total: perRound * max(repetitions, round), round: round, rounds: shownRounds,
                                  atLeast: minimumSpanSeconds != nil), last)
            }
            if settle(live, round: round, clock: clock, all: jobs) { break }
        }
        return false
    }

    /// After a round: with a target precision, a benchmark whose median's interval is within
    /// it stops; with a time budget, every other one stops once it is spent (true: the run ends).
    func settle<T: RoundTaker>(_ live: [T], round: Int, clock: RunClock, all jobs: [T]) -> Bool {
        guard round >= RunPlan.minimumRounds else { return false }
        if let precision = targetPrecision {
            for taker in live where taker.isLive {
                if let s = Summary(samples: taker.roundFigures), let half = s.halfWidth, s.median > 0, half / s.median <= precision {
                    taker.settled = .precision
                }
            }
        }
        guard let budget = timeBudgetSeconds, clock.seconds() >= budget else { return false }
        for taker in jobs where taker.isLive && taker.settled == nil { taker.settled = .budget }
        return true
    }

    /// Not interleaved: each benchmark's batches one after another (the empty loop and the
    /// canary first, and only when there is a benchmark to measure).
    private func runInSequence<T: RoundTaker>(always: [T], jobs: [T], stop: StopSource, take: Take<T>,
                                              progress: (Progress, T) -> Void) -> Bool {
        guard jobs.contains(where: \.isLive) else { return stop.requested() }
        let order = (always + jobs.filter(\.isLive)).flatMap { Array(repeating: $0, count: repetitions) }
        for (index, taker) in order.enumerated() {
            if stop.requested() { return true }
            take(taker, nil)
            progress(Progress(done: index + 1, total: order.count, round: (index + 1) * repetitions / order.count, rounds: repetitions,
                              atLeast: false), taker)
        }
        return stop.requested()
    }
}

extension Job: RoundTaker {
    var isLive: Bool { fixture != nil }
    var roundFigures: [Double] { batches.map(\.nsPerOp) }
}
