import Foundation
@testable import SysCostAnalysis
import SysCostModel
import SysCostStatistics
import Testing
import SysCostTestSupport

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

    /// One row judged on its own (a family of one), as `compare` judges each of its rows.
    static func judge(_ base: [[Double]], _ new: [[Double]], threshold: Double = 0.05, spread: BetweenRunSpread.Entry? = nil,
                      cycleNs: Double? = nil, id: BenchmarkID = BenchmarkID(SuiteName("syscall"), "getppid", "raw")) -> Comparison.Row? {
        guard let row = Comparison.row(id: id, unit: .nsPerOp, base: base, new: new, threshold: threshold, spread: spread, cycleNs: cycleNs)
        else { return nil }
        var rows = [row]
        Comparison.decide(&rows, family: .holm, alpha: 0.05, power: 0.8, cycleNs: cycleNs)
        return rows[0]
    }

    /// A spread entry as a calibration of `runs` runs would give it.
    static func entry(_ logSD: Double, runs: Int = 10, id: BenchmarkID = BenchmarkID(SuiteName("syscall"), "getppid", "raw")) -> BetweenRunSpread.Entry {
        BetweenRunSpread.Entry(id: id, logSD: logSD, withinLogVariance: 1e-6, runs: runs, degreesOfFreedom: runs - 1)
    }

    /// Hosts that drift ±8% between runs, rounds within a run steady: one run a side with no
    /// spread learned gives no verdict at all (the old rule called false regressions in about
    /// 40% of pairs); with the learned spread, or several runs a side bootstrapped over runs
    /// then rounds, false verdicts stay near alpha and a real 25% change is still seen.
    @Test func runsASideModelTheDriftBetweenRuns() throws {
        var host = Host(seed: 3)
        host.meanDelay = 1  // steady rounds: what varies is the run's phase
        let drift = 0.08, threshold = 0.05
        func side(_ runs: Int, change: Double = 1) -> [[Double]] {
            (0..<runs).map { _ in let s = host.shift(drift); return host.run(rounds: 15, scale: s * change) }
        }
        // The spread a calibration of 10 runs learns on this host.
        let calibration = (0..<10).map { i in
            RunTimings.synthetic(startedAt: "2026-12-01T00:\(10 + i):00Z", ["syscall/getppid/raw": side(1)[0]])
        }
        let learned = try #require(BetweenRunSpread.learn(from: calibration)?.entry(BenchmarkID(SuiteName("syscall"), "getppid", "raw")))
        // Uniform ±8% has a log-sd of about 0.08/√3 = 4.6%; ten runs estimate it within a factor of two.
        #expect((0.023...0.092).contains(learned.logSD), "learned \(learned.logSD)")
        var blind = 0, singleFalse = 0, singleSeen = 0, multiFalse = 0, multiSeen = 0, multiMDE: [Double] = []
        let trials = 60
        for _ in 0..<trials {
            let bare = try #require(Self.judge(side(1), side(1)))
            if bare.verdict == .inconclusive && bare.mde == nil && bare.ratioCI95Low == nil && bare.settle?.contains("3 runs a side") == true { blind += 1 }
            let single = try #require(Self.judge(side(1), side(1), spread: learned))
            if single.verdict == .regression || single.verdict == .improvement { singleFalse += 1 }
            if Self.judge(side(1), side(1, change: 1.5), spread: learned)?.verdict == .regression { singleSeen += 1 }
            let multi = try #require(Self.judge(side(5), side(5)))
            if multi.verdict == .regression || multi.verdict == .improvement { multiFalse += 1 }
            multiMDE.append(multi.mde ?? .infinity)
            if Self.judge(side(5), side(5, change: 1.25))?.verdict == .regression { multiSeen += 1 }
        }
        #expect(blind == trials, "one run a side with no spread: \(blind) of \(trials) without a verdict")
        #expect(singleFalse <= trials / 10, "one run a side, learned spread: \(singleFalse) false verdicts of \(trials)")
        #expect(singleSeen >= trials * 8 / 10, "one run a side, learned spread: a 50% change seen \(singleSeen) of \(trials) times")
        #expect(multiFalse <= trials / 10, "five runs a side: \(multiFalse) false verdicts of \(trials)")
        #expect(multiSeen >= trials * 8 / 10, "five runs a side saw a 25% change \(multiSeen) of \(trials) times")
        // The drift shows in the MDE: a ±8% host cannot promise to see 5%.
        #expect(Statistics.median(multiMDE) > threshold, "median MDE \(Statistics.median(multiMDE))")
    }

    /// The floor of a row: one TSC cycle per op (layout moves a 3.5 ns call by a cycle between
    /// runs). The host canary is no floor: a change beside a canary that moved is judged alike.
    @Test func theFloorIsOneCycle() throws {
        let id = BenchmarkID(SuiteName("vdso"), "getcpu", "libc")
        let steady = (0..<15).map { 3.54 + 0.002 * Double($0 % 3) }
        let oneCycleMore = steady.map { $0 + 0.28 }
        let cycle = 1e9 / 2.596e9  // 0.385 ns
        let quiet = Self.entry(0.001, id: id)
        let layout = try #require(Self.judge([steady], [oneCycleMore], spread: quiet, cycleNs: cycle, id: id))
        #expect(layout.verdict == .inconclusive && layout.withinFloor && (layout.mde ?? 0) >= cycle / 3.54 - 1e-9, "\(layout)")
        let twoCycles = steady.map { $0 + 0.8 }
        #expect(Self.judge([steady], [twoCycles], spread: quiet, cycleNs: cycle, id: id)?.verdict == .regression)
    }

    /// The verdict rule over rows whose standard errors are given: significance for the family,
    /// the threshold, the MDE.
    @Test func verdictsCarryTheirResolution() throws {
        func decided(_ ratio: Double, se: Double, threshold: Double = 0.05, family: FamilyControl = .holm) -> Comparison.Row {
            var row = Comparison.Row(id: "syscall/a/raw", unit: .nsPerOp, baseValue: 100, newValue: 100 * ratio, ratio: ratio,
                                     baseCV: 0, newCV: 0, baseRounds: 40, newRounds: 40, threshold: threshold, verdict: nil)
            row.logStandardError = se; row.degreesOfFreedom = 1e9
            row.pValue = StudentT.twoSidedP(log(ratio) / se, df: 1e9)
            var rows = [row]
            Comparison.decide(&rows, family: family, alpha: 0.05, power: 0.8, cycleNs: nil)
            return rows[0]
        }
        #expect(decided(1.30, se: 0.04).verdict == .regression)
        #expect(decided(0.70, se: 0.04).verdict == .improvement)
        // Significant but within the threshold, resolution fine: unchanged.
        #expect(decided(1.03, se: 0.005).verdict == .unchanged)
        // Not significant, and the comparison could not have seen 5%: inconclusive, not unchanged.
        #expect(decided(1.01, se: 0.05).verdict == .inconclusive)
        // A change beyond the threshold that did not clear zero is never unchanged.
        #expect(decided(1.26, se: 0.15, threshold: 0.2).verdict == .inconclusive)
        // The MDE: (z(1 − alpha/2) + z(power))·se for a family of one.
        #expect(abs((decided(1.0, se: 0.01).mde ?? 0) - (exp(0.01 * (1.959964 + 0.841621)) - 1)) < 1e-5)
        #expect(abs(MinimumDetectableEffect.of(logStandardError: 0.001, floor: 0.11) - 0.11) < 1e-9)
    }
}

extension EnvironmentInfo {
    /// The fixed test machine (an AMD EPYC VM, committed in Tests/Fixtures), never the live host's.
    static let fixture: EnvironmentInfo = try! JSONDecoder().decode(EnvironmentInfo.self, from: Data(contentsOf: PackageRoot.path("Tests/Fixtures/environment-amd-epyc.json")))
}

extension RunTimings {
    /// A run of the fixed test machine with the given rounds per id.
    static func synthetic(kernel: String = "6.18.44-fc-v595", seccomp: String? = nil, startedAt: String,
                          _ results: [String: [Double]]) -> RunTimings {
        var env = EnvironmentInfo.fixture
        env.kernel.release = kernel
        if let seccomp {
            env.seccomp.installed = .init(spec: seccomp, kind: "argument-reading", instructions: 200, getppidBeforeNs: 117,
                                          getppidAfterNs: 178, costPerCallNs: 61, costPerInstructionNs: nil, slope: nil)
        }
        let config = RunConfig(patterns: [], cpu: 1, repetitions: 40, minBatchTimeMs: 4, interleave: true, quick: false, warmupMs: 200,
                               startedAt: startedAt, durationSeconds: 1)
        let report = RunReport(environment: env, config: config, results: results.sorted { $0.key < $1.key }.map { id, samples in
            BenchmarkResult(id: BenchmarkID(parsing: id)!, category: .processControl, description: id, syscallsPerOp: 1,
                            iterationsPerBatch: 1000, overheadNs: 0.3, samples: samples, summary: Summary(samples: samples),
                            tscCyclesPerOp: nil, warnings: [], status: .ok)
        })
        return RunTimings(report)
    }
}
