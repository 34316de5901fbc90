import Foundation
import SysCostAnalysis
import SysCostModel
import SysCostStatistics
import Testing

/// The interval, MDE and verdict functions on synthetic data whose truth is known: noise that
/// only adds time (a floor plus exponential delays), and hosts that drift between runs.
@Suite struct VerdictModelTests {
    /// A host: a floor cost, exponential delays on top (noise only adds), and a slowdown
    /// shared by every round of one run (the phase it landed in).
    struct Host {
        var rng: SplitMix64
        var floor = 100.0
        var meanDelay = 5.0

        init(seed: UInt64) { rng = SplitMix64(seed: seed) }

        mutating func uniform() -> Double { Double(rng.next() >> 11) / Double(1 << 53) }

        /// `n` rounds of one run, every one scaled by `scale` (a run-level shift times a true change).
        mutating func run(rounds n: Int, scale: Double = 1) -> [Double] {
            (0..<n).map { _ in scale * (floor - meanDelay * log(1 - uniform())) }
        }

        /// A run-level shift drawn uniformly within ±`drift`.
        mutating func shift(_ drift: Double) -> Double { 1 + drift * (2 * uniform() - 1) }
    }

    @Test func quantileIntervalsCoverAtTheirLevel() {
        var host = Host(seed: 1)
        // The truth: 100 + Exp(5) has p10 = 100 − 5·ln 0.9 and median 100 + 5·ln 2.
        let truth: [Estimator: Double] = [.undisturbed: 100 - 5 * log(0.9), .median: 100 + 5 * log(2)]
        for (estimator, n) in [(Estimator.undisturbed, 60), (.median, 15)] {
            var covered = 0, trials = 2000
            for _ in 0..<trials {
                let ci = estimator.interval(sorted: host.run(rounds: n).sorted())!
                if ci.contains(truth[estimator]!) { covered += 1 }
            }
            // Order statistics guarantee at least 95%; the discrete ranks give a little more.
            #expect(Double(covered) / Double(trials) >= 0.94, "\(estimator): \(covered) of \(trials)")
        }
        // No interval where no pair of order statistics covers 95%: never min–max labelled so.
        #expect(Estimator.median.interval(sorted: host.run(rounds: 5).sorted()) == nil)
        #expect(Estimator.median.interval(sorted: host.run(rounds: 6).sorted()) != nil)
        #expect(Estimator.undisturbed.interval(sorted: host.run(rounds: 35).sorted()) == nil)
        #expect(Estimator.undisturbed.interval(sorted: host.run(rounds: 36).sorted()) != nil)
        // The median's interval is the classic one: ranks 4 and 12 of 15 (1-based).
        let fifteen = (1...15).map(Double.init)
        #expect(Statistics.medianConfidenceInterval(sorted: fifteen) == 4...12)
    }

    @Test func normalQuantilesAreRight() {
        #expect(abs(Normal.quantile(0.975) - 1.959964) < 1e-5)
        #expect(abs(Normal.quantile(0.8) - 0.841621) < 1e-5)
        #expect(abs(Normal.quantile(0.001) + 3.090232) < 1e-5)
        #expect(abs(Normal.quantile(0.5)) < 1e-12)
    }

    /// The exact bootstrap law of a quantile (one run a side) is the law resampling approaches:
    /// its probabilities sum to 1, and its log-moments match 50,000 resamples'.
    @Test func theExactBootstrapIsWhatResamplingApproaches() throws {
        var host = Host(seed: 4)
        for (estimator, n) in [(Estimator.undisturbed, 15), (.undisturbed, 11), (.undisturbed, 54), (.median, 15), (.median, 16), (.undisturbed, 1)] {
            let xs = host.run(rounds: n).sorted()
            let exact = try #require(QuantileBootstrap.logMoments(sorted: xs, quantile: estimator.quantile))
            var rng = SplitMix64(seed: 9)
            var m1 = 0.0, m2 = 0.0
            let resamples = 50_000
            for _ in 0..<resamples {
                let v = log(estimator.value(sorted: (0..<n).map { _ in xs[Int(rng.next() % UInt64(n))] }.sorted()))
                m1 += v; m2 += v * v
            }
            m1 /= Double(resamples)
            let sd = max(0, m2 / Double(resamples) - m1 * m1).squareRoot()
            #expect(abs(exact.mean - m1) < 3e-4, "\(estimator) n=\(n): mean \(exact.mean) vs \(m1)")
            #expect(n == 1 ? exact.standardDeviation == 0 : abs(exact.standardDeviation / sd - 1) < 0.02,
                    "\(estimator) n=\(n): sd \(exact.standardDeviation) vs \(sd)")
        }
        // Many rounds (`--rounds 1500`): the law stays finite where C(n, k) alone would not, and
        // its spread is the sampling spread of a quantile, about √(q(1−q)/n) / (f(x_q)·x_q).
        for estimator in Estimator.allCases {
            let xs = host.run(rounds: 1500).sorted()
            let m = try #require(QuantileBootstrap.logMoments(sorted: xs, quantile: estimator.quantile))
            // 100 + Exp(5): density at the quantile is (1 − q)/5.
            let q = estimator.quantile, x = estimator.value(sorted: xs)
            let expected = (q * (1 - q) / 1500).squareRoot() / ((1 - q) / 5 * x)
            #expect(m.standardDeviation.isFinite && abs(m.standardDeviation / expected - 1) < 0.3,
                    "\(estimator): sd \(m.standardDeviation), expected about \(expected)")
            #expect(abs(m.mean - log(x)) < 3 * m.standardDeviation)
        }
        // Not positive: no log-moments, so no interval.
        #expect(QuantileBootstrap.logMoments(sorted: [0, 1, 2], quantile: 0.1) == nil)
    }

    /// One run a side, no true change: the 95% interval of the ratio holds 1 about 95% of the
    /// time, for the undisturbed cost at the rounds runs take (15 in a full run, 50 alone).
    @Test func oneRunASideIntervalsCoverAtTheirLevel() throws {
        var host = Host(seed: 5)
        for (estimator, n) in [(Estimator.undisturbed, 15), (.undisturbed, 50), (.median, 15)] {
            var covered = 0
            let trials = 1000
            for _ in 0..<trials {
                let d = try #require(Bootstrap.ratio(base: [host.run(rounds: n)], new: [host.run(rounds: n)], estimator: estimator))
                if d.interval.contains(1) { covered += 1 }
            }
            #expect((0.92...0.985).contains(Double(covered) / Double(trials)), "\(estimator) n=\(n): \(covered) of \(trials)")
        }
    }

    /// A true change as large as a comparison's MDE is seen about as often as the power says.
    @Test func theMDEIsTheChangeSeenWithThePromisedPower() {
        var host = Host(seed: 2)
        // The MDE of this design (30 rounds a side), from null comparisons.
        let mdes = (0..<20).map { i -> Double in
            let d = Bootstrap.ratio(base: [host.run(rounds: 30)], new: [host.run(rounds: 30)], estimator: .undisturbed,
                                    resamples: 500, seed: UInt64(i))!
            return MinimumDetectableEffect.of(logStandardError: d.logStandardError)
        }
        let mde = Statistics.median(mdes)
        #expect(mde > 0.005 && mde < 0.05, "\(mde)")
        var seen = 0
        let trials = 200
        for i in 0..<trials {
            let base = host.run(rounds: 30), new = host.run(rounds: 30, scale: 1 + mde)
            let d = Bootstrap.ratio(base: [base], new: [new], estimator: .undisturbed, resamples: 500, seed: UInt64(i))!
            if !d.interval.contains(1) { seen += 1 }
        }
        // 80% power: seen in roughly 160 of 200 (the bootstrap's SE is itself an estimate).
        #expect((130...190).contains(seen), "a change of the MDE (\(mde)) seen \(seen) of \(trials) times")
    }

    /// Hosts that drift ±8% between runs, rounds within a run steady: one run a side cannot
    /// see the drift and calls false regressions; several runs a side, bootstrapped over runs
    /// then rounds, bring the false verdicts to about alpha and still see a real 25% change.
    @Test func runsASideModelTheDriftBetweenRuns() throws {
        var host = Host(seed: 3)
        host.meanDelay = 1  // steady rounds: what varies is the run's phase
        let drift = 0.08, threshold = 0.05
        func side(_ runs: Int, change: Double = 1) -> [[Double]] {
            (0..<runs).map { _ in let s = host.shift(drift); return host.run(rounds: 15, scale: s * change) }
        }
        func judge(_ base: [[Double]], _ new: [[Double]]) -> Comparison.Row {
            Comparison.row(id: BenchmarkID(SuiteName("syscall"), "getppid", "raw"), unit: .nsPerOp, base: base, new: new,
                           threshold: threshold, estimator: .undisturbed, hostShift: nil)!
        }
        var singleFalse = 0, multiFalse = 0, multiSeen = 0, multiMDE: [Double] = []
        let trials = 60
        for _ in 0..<trials {
            let single = judge(side(1), side(1))
            if single.verdict == .regression || single.verdict == .improvement { singleFalse += 1 }
            let multi = judge(side(5), side(5))
            if multi.verdict == .regression || multi.verdict == .improvement { multiFalse += 1 }
            multiMDE.append(multi.mde ?? .infinity)
            if judge(side(5), side(5, change: 1.25)).verdict == .regression { multiSeen += 1 }
        }
        // Two runs' shifts differ by more than 5% in about 40% of pairs: one run a side believes them.
        #expect(singleFalse >= trials / 5, "single runs: \(singleFalse) false verdicts of \(trials)")
        #expect(multiFalse <= trials / 10, "five runs a side: \(multiFalse) false verdicts of \(trials)")
        #expect(multiSeen >= trials * 9 / 10, "five runs a side saw a 25% change \(multiSeen) of \(trials) times")
        // The drift shows in the MDE: a ±8% host cannot promise to see 5%.
        #expect(Statistics.median(multiMDE) > threshold, "median MDE \(Statistics.median(multiMDE))")
    }

    /// The floor of a row: twice the canary's log-shift (a host 10% faster is as unattributable
    /// as one 10% slower) and one TSC cycle per op (layout moves a 3.5 ns call by a cycle
    /// between runs).
    @Test func theFloorIsTheHostShiftOrOneCycle() throws {
        let id = BenchmarkID(SuiteName("vdso"), "getcpu", "libc")
        let steady = (0..<15).map { 3.54 + 0.002 * Double($0 % 3) }
        let oneCycleMore = steady.map { $0 + 0.28 }
        let cycle = 1e9 / 2.596e9  // 0.385 ns
        let layout = try #require(Comparison.row(id: id, unit: .nsPerOp, base: [steady], new: [oneCycleMore], threshold: 0.05, cycleNs: cycle))
        #expect(layout.verdict == .inconclusive && layout.withinFloor && (layout.mde ?? 0) >= cycle / 3.54 - 1e-9, "\(layout)")
        let twoCycles = steady.map { $0 + 0.8 }
        #expect(Comparison.row(id: id, unit: .nsPerOp, base: [steady], new: [twoCycles], threshold: 0.05, cycleNs: cycle)?.verdict == .regression)
        let hundred = (0..<15).map { 100 + Double($0 % 3) * 0.1 }
        // A host 10% faster in NEW: code may move by up to 1.1² = 1.21× either way for that alone.
        let fasterHost = Comparison.row(id: id, unit: .nsPerOp, base: [hundred], new: [hundred.map { $0 * 1.15 }], threshold: 0.05,
                                        hostShift: 1 / 1.1)
        #expect(fasterHost?.verdict == .inconclusive && fasterHost?.withinFloor == true, "\(String(describing: fasterHost))")
        let beyond = Comparison.row(id: id, unit: .nsPerOp, base: [hundred], new: [hundred.map { $0 * 1.3 }], threshold: 0.05, hostShift: 1 / 1.1)
        #expect(beyond?.verdict == .regression, "\(String(describing: beyond))")
    }

    @Test func verdictsCarryTheirResolution() {
        let t = 0.05
        // Clear of 1 and beyond the threshold: a verdict either way.
        #expect(Comparison.verdict(ratio: 1.30, ci: 1.20...1.41, mde: 0.04, threshold: t) == .regression)
        #expect(Comparison.verdict(ratio: 0.70, ci: 0.64...0.77, mde: 0.04, threshold: t) == .improvement)
        // Significant but within the threshold, resolution fine: unchanged.
        #expect(Comparison.verdict(ratio: 1.03, ci: 1.01...1.05, mde: 0.02, threshold: t) == .unchanged)
        // Not significant, and the comparison could not have seen 5%: inconclusive, not unchanged.
        #expect(Comparison.verdict(ratio: 1.01, ci: 0.90...1.12, mde: 0.15, threshold: t) == .inconclusive)
        // A change beyond the threshold that did not clear zero is never unchanged.
        #expect(Comparison.verdict(ratio: 1.26, ci: 0.91...1.33, mde: 0.30, threshold: 0.2) == .inconclusive)
        // No interval (too few rounds): inconclusive.
        #expect(Comparison.verdict(ratio: 1.5, ci: nil, mde: nil, threshold: t) == .inconclusive)
        // A change no larger than the floor (here a host that ran 15% slower) is not the kernel's.
        #expect(Comparison.verdict(ratio: 1.12, ci: 1.10...1.14, mde: 0.15, threshold: t, floor: 0.15) == .inconclusive)
        #expect(Comparison.verdict(ratio: 0.88, ci: 0.86...0.90, mde: 0.15, threshold: t, floor: 0.15) == .inconclusive)
        #expect(Comparison.verdict(ratio: 1.30, ci: 1.25...1.35, mde: 0.15, threshold: t, floor: 0.15) == .regression)
        // The MDE never promises less than the floor.
        #expect(abs(MinimumDetectableEffect.of(logStandardError: 0.001, floor: 0.11) - 0.11) < 1e-9)
        #expect(abs(MinimumDetectableEffect.of(logStandardError: 0.01) - (exp(0.01 * (1.959964 + 0.841621)) - 1)) < 1e-5)
    }
}
