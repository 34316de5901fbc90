import Foundation
@testable import SysCost
@testable import SysCostModel
import Testing
import SysCostTestSupport

/// The round policy on its own, with a clock the test moves: which batches, in which order,
/// and when a run stops — in milliseconds, with no batch timed.
@Suite struct RoundPolicyTests {
    /// A benchmark that takes no time: each batch moves the fake clock by `step` seconds and
    /// records `figure(round)`.
    final class Taker: RoundTaker {
        let name: String
        var isLive = true
        var settled: StopReason?
        var roundFigures: [Double] = []
        var figure: (Int) -> Double
        init(_ name: String, figure: @escaping (Int) -> Double = { _ in 100 }) { self.name = name; self.figure = figure }
    }

    final class FakeClock: RunClock {
        var now = 0.0
        func seconds() -> Double { now }
    }

    /// Runs `policy`; returns the order batches were taken in (names, with "+"/"-" for an A/B
    /// half taken first or second) and whether the run was stopped.
    static func run(_ policy: RoundPolicy, jobs: [Taker], always: [Taker] = [], ab: Bool = false, step: Double = 0.01,
                    stopAfter: Int? = nil) -> (order: [String], stopped: Bool, clock: FakeClock) {
        let clock = FakeClock()
        var order: [String] = []
        final class Count: @unchecked Sendable { var n = 0 }
        let count = Count()
        let stop = StopSource { stopAfter.map { count.n >= $0 } ?? false }
        let stopped = policy.run(always: always, jobs: jobs, ab: ab ? { _ in true } : nil, clock: clock, stop: stop, take: { t, abFirst in
            clock.now += step
            count.n += 1
            t.roundFigures.append(t.figure(t.roundFigures.count))
            order.append(t.name + (abFirst.map { $0 ? "+" : "-" } ?? ""))
        })
        return (order, stopped, clock)
    }

    @Test func interleavedRoundsTakeEveryBenchmarkOnceInASeededOrder() {
        let jobs = [Taker("a"), Taker("b"), Taker("c")]
        let r = Self.run(RoundPolicy(repetitions: 15, seed: 7), jobs: jobs, always: [Taker("loop")])
        #expect(r.order.count == 15 * 4 && !r.stopped)
        let rounds: [[String]] = (0..<15).map { Array(r.order[($0 * 4)..<($0 * 4 + 4)]) }
        let everyone: Set<String> = ["a", "b", "c", "loop"]
        for round in rounds { #expect(Set(round) == everyone) }
        // Seeded: the same order again; another seed, another order; and not always the same order.
        #expect(Self.run(RoundPolicy(repetitions: 15, seed: 7), jobs: [Taker("a"), Taker("b"), Taker("c")], always: [Taker("loop")]).order == r.order)
        #expect(Self.run(RoundPolicy(repetitions: 15, seed: 8), jobs: [Taker("a"), Taker("b"), Taker("c")], always: [Taker("loop")]).order != r.order)
        let orders: Set<String> = Set(rounds.map { $0.joined(separator: ",") })
        #expect(orders.count > 1)
    }

    @Test func withoutInterleavingEachBenchmarkRunsItsBatchesTogether() {
        let r = Self.run(RoundPolicy(repetitions: 3, interleave: false), jobs: [Taker("a"), Taker("b")], always: [Taker("loop")])
        #expect(r.order == ["loop", "loop", "loop", "a", "a", "a", "b", "b", "b"])
        let none = Taker("dead")
        none.isLive = false
        #expect(Self.run(RoundPolicy(repetitions: 3, interleave: false), jobs: [none], always: [Taker("loop")]).order.isEmpty)
    }

    @Test func roundsGoOnUntilTheySpanTheMinimum() {
        // 2 benchmarks, 10 ms a batch: 15 rounds take 0.3 s; a 1 s span needs 50.
        let r = Self.run(RoundPolicy(repetitions: 15, minimumSpanSeconds: 1), jobs: [Taker("a"), Taker("b")])
        #expect(r.order.count == 50 * 2, "\(r.order.count)")
        // Already spanned: exactly the repetitions.
        #expect(Self.run(RoundPolicy(repetitions: 15, minimumSpanSeconds: 0.1), jobs: [Taker("a")]).order.count == 15)
    }

    @Test func aTimeBudgetStopsTheRunAndSaysSo() {
        let jobs = [Taker("a") { 100 + Double($0 % 7) * 10 }, Taker("b") { 50 + Double($0 % 5) * 9 }]
        let r = Self.run(RoundPolicy(repetitions: 1_000, timeBudgetSeconds: 0.5), jobs: jobs)
        // 20 ms a round: the budget is spent after round 25.
        #expect(r.order.count == 25 * 2, "\(r.order.count)")
        #expect(jobs.allSatisfy { $0.settled == .budget })
        // Never before the minimum rounds, however short the budget.
        let early = Self.run(RoundPolicy(repetitions: 1_000, timeBudgetSeconds: 0.001), jobs: [Taker("a")])
        #expect(early.order.count == RunPlan.minimumRounds)
    }

    @Test func aPreciseBenchmarkStopsTakingRounds() {
        let steady = Taker("steady") { 100 + Double($0 % 2) * 0.01 }, noisy = Taker("noisy") { 100 + Double(($0 * 37) % 11) * 8 }
        let r = Self.run(RoundPolicy(repetitions: 200, timeBudgetSeconds: 100, targetPrecision: 0.001), jobs: [steady, noisy])
        #expect(steady.settled == .precision && steady.roundFigures.count == RunPlan.minimumRounds)
        #expect(noisy.settled == nil && noisy.roundFigures.count == 200)
        #expect(r.order.count == RunPlan.minimumRounds + 200)
    }

    @Test func anABsHalvesTakeTurnsGoingFirst() {
        let r = Self.run(RoundPolicy(repetitions: 40), jobs: [Taker("a")], always: [Taker("loop")], ab: true)
        let halves = r.order.filter { $0.hasPrefix("a") }
        #expect(halves.count == 40 && r.order.contains("loop") && !r.order.contains("loop+"))
        let first = halves.filter { $0 == "a+" }.count
        #expect(first > 5 && first < 35, "\(first) of 40 with the knob first")
    }

    @Test func theStopSourceEndsTheRunAfterTheCurrentBatch() {
        let r = Self.run(RoundPolicy(repetitions: 15), jobs: [Taker("a"), Taker("b")], stopAfter: 7)
        #expect(r.stopped && r.order.count == 7)
        let sequential = Self.run(RoundPolicy(repetitions: 15, interleave: false), jobs: [Taker("a")], stopAfter: 3)
        #expect(sequential.stopped && sequential.order.count == 3)
    }
}
