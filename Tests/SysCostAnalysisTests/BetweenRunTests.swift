import Foundation
@testable import SysCostAnalysis
import SysCostModel
import SysCostStatistics
import Testing
import SysCostTestSupport

/// The between-run term and the family of rows, on synthetic runs whose truth is known: hosts
/// whose runs each sit in a phase (a shift shared by all of a run's rounds), no live host.
@Suite struct BetweenRunTests {
    let id = BenchmarkID(SuiteName("syscall"), "getppid", "raw")

    @Test func studentsTIsRight() {
        // Tables: t(0.975; 1) 12.706, (2) 4.303, (9) 2.262, (30) 2.042; t(0.8; 9) 0.883.
        for (df, t) in [(1.0, 12.7062), (2, 4.3027), (9, 2.2622), (30, 2.0423)] {
            #expect(abs(StudentT.quantile(0.975, df: df) - t) < 1e-3, "df \(df): \(StudentT.quantile(0.975, df: df))")
        }
        #expect(abs(StudentT.quantile(0.8, df: 9) - 0.8834) < 1e-3)
        #expect(abs(StudentT.quantile(0.025, df: 9) + 2.2622) < 1e-3)
        #expect(abs(StudentT.cdf(0, df: 4) - 0.5) < 1e-12)
        #expect(abs(StudentT.twoSidedP(2.2622, df: 9) - 0.05) < 1e-3)
        // Many degrees of freedom: the normal.
        #expect(abs(StudentT.quantile(0.975, df: 1e9) - 1.959964) < 1e-5)
        // A level at the edge of what a Double holds is clamped, never a crash.
        #expect(StudentT.quantile(1e-320, df: 3).isFinite && StudentT.quantile(1, df: 3).isFinite)
    }

    @Test func holmStepsDown() {
        let p: [Double?] = [0.001, 0.01, 0.03, 0.04, nil]
        // Four judged: 0.001 ≤ 0.05/4, 0.01 ≤ 0.05/3, 0.03 > 0.05/2 stops it.
        #expect(FamilyControl.holm.significant(p, alpha: 0.05) == [true, true, false, false, false])
        #expect(FamilyControl.none.significant(p, alpha: 0.05) == [true, true, true, true, false])
        #expect(FamilyControl.holm.worstLevel(alpha: 0.05, family: 50) == 0.001)
        // 200 null rows, 400 families: per-row tests alarm in nearly every family, Holm in about alpha of them.
        var rng = SplitMix64(seed: 11)
        var perRow = 0, holm = 0
        for _ in 0..<400 {
            let ps: [Double?] = (0..<200).map { _ in Double(rng.next() >> 11) / Double(1 << 53) }
            if FamilyControl.none.significant(ps, alpha: 0.05).contains(true) { perRow += 1 }
            if FamilyControl.holm.significant(ps, alpha: 0.05).contains(true) { holm += 1 }
        }
        #expect(perRow > 390 && holm <= 32, "per-row \(perRow), Holm \(holm) of 400")
    }

    /// A run of steady rounds (±0.5%) around `center`.
    static func rounds(_ center: Double, n: Int = 40) -> [Double] { (0..<n).map { center * (1 + 0.005 * Double(($0 * 7) % n) / Double(n)) } }

    /// The spread is learned about each group's own mean: two kernels 30% apart are two groups,
    /// not 30% of noise; an interrupted run is left out; too few runs learn nothing.
    @Test func theSpreadIsLearnedAboutEachGroupsMean() throws {
        let shifts = [1.00, 1.04, 0.97, 1.02, 0.99, 1.03]
        var runs = shifts.enumerated().map { i, s in
            RunTimings.synthetic(kernel: i < 3 ? "6.1.0-57" : "6.12.118", startedAt: "2026-12-01T00:0\(i):00Z",
                                 ["syscall/getppid/raw": Self.rounds(100 * s * (i < 3 ? 1 : 1.3))])
        }
        var stopped = RunTimings.synthetic(startedAt: "2026-12-01T00:09:00Z", ["syscall/getppid/raw": Self.rounds(500)])
        stopped.interrupted = true
        runs.append(stopped)
        let spread = try #require(BetweenRunSpread.learn(from: runs, now: Date(timeIntervalSince1970: 1_764_547_200)))
        let e = try #require(spread.entry(id))
        // The logs' deviations from each kernel's mean: sd about 3%, with 6 − 2 = 4 degrees of freedom.
        let logs = shifts.map(log), a = Array(logs[0..<3]), b = Array(logs[3...])
        let ss = [a, b].reduce(0.0) { acc, g in let m = g.reduce(0, +) / 3; return acc + g.reduce(0) { $0 + ($1 - m) * ($1 - m) } }
        #expect(abs(e.logSD - (ss / 4 - e.withinLogVariance).squareRoot()) < 1e-9 && e.degreesOfFreedom == 4 && e.runs == 6, "\(e)")
        #expect(spread.runs == 6 && spread.kernels == ["6.1.0-57", "6.12.118"] && spread.firstRun == "2026-12-01T00:00:00Z")
        #expect(BetweenRunSpread.learn(from: Array(runs.prefix(2))) == nil)
        // A spread file's figures are checked: a doctored one is refused, naming the field.
        var doctored = spread
        doctored.entries[0].logSD = -1
        #expect(throws: SysCostError.self) { try doctored.validated("x.spread") }
        #expect(try spread.validated("x.spread") == spread)
    }

    /// Synthetic reports of one machine: `rows` benchmarks, every round of a run scaled by the
    /// run's phase `phase`, and the first `changed` rows by `change` too.
    static func report(rows: Int, phase: Double, change: Double = 1, changed: Int = 0, startedAt: String = "2026-12-01T01:00:00Z",
                       kernel: String = "6.18.44-fc-v595") -> RunReport {
        var env = EnvironmentInfo.fixture
        env.kernel.release = kernel
        let results = (0..<rows).map { i -> BenchmarkResult in
            let samples = rounds(100 * phase * (i < changed ? change : 1))
            return BenchmarkResult(id: BenchmarkID(SuiteName("syscall"), "op\(i)", "raw"), category: .processControl, description: "op",
                                   syscallsPerOp: 1, iterationsPerBatch: 1000, overheadNs: 0.3, samples: samples,
                                   summary: Summary(samples: samples), tscCyclesPerOp: nil, warnings: [], status: .ok)
        }
        return RunReport(environment: env, config: RunConfig(patterns: [], cpu: 1, repetitions: 40, minBatchTimeMs: 4, interleave: true,
                                                             quick: false, warmupMs: 200, startedAt: startedAt, durationSeconds: 1),
                         results: results)
    }

    static func spread(rows: Int, logSD: Double, runs: Int = 10) -> BetweenRunSpread {
        BetweenRunSpread(schema: BetweenRunSpread.schemaID, machine: report(rows: 0, phase: 1).environment.fingerprint.key,
                         kernels: ["6.18.44-fc-v595"], estimator: .undisturbed, runs: runs, firstRun: "2026-12-01T00:00:00Z",
                         lastRun: "2026-12-01T00:10:00Z", learnedAt: "2026-12-01T00:11:00Z",
                         entries: (0..<rows).map { BetweenRunSpread.Entry(id: BenchmarkID(SuiteName("syscall"), "op\($0)", "raw"), logSD: logSD,
                                                                            withinLogVariance: 1e-6, runs: runs, degreesOfFreedom: runs - 1) })
    }

    /// One run a side whose host moved 8% between them (every row alike, rounds steady): with
    /// no spread no row has a verdict, and the table says what would settle it; with the
    /// learned 5% spread the phase is no regression, and a true +40% on top of it is.
    @Test func oneRunASideNeedsTheSpread() throws {
        let base = Self.report(rows: 20, phase: 1), moved = Self.report(rows: 20, phase: 1.08)
        let blind = try Comparison.compare(base: base, new: moved)
        #expect(blind.rows.allSatisfy { $0.verdict == .inconclusive && $0.mde == nil && $0.ratioCI95Low == nil }, "\(blind.rows[0])")
        #expect(blind.regressions.isEmpty && blind.rows.count == 20)
        let text = try blind.export(as: .table)
        #expect(text.contains("20 row(s) without an interval") && text.contains("(syscost calibrate)")
                && text.contains("take 3 runs a side, or learn the spread"), "\(text)")
        let spread = Self.spread(rows: 20, logSD: 0.05)
        let judged = try Comparison.compare(base: base, new: moved, spread: spread)
        #expect(judged.regressions.isEmpty && judged.rows.allSatisfy { $0.mde != nil && $0.ratioCI95Low != nil }, "\(judged.rows[0])")
        #expect(judged.spread?.contains("learned from 10 runs") == true && judged.familySize == 20)
        let real = try Comparison.compare(base: base, new: Self.report(rows: 20, phase: 1.08, change: 1.4, changed: 2), spread: spread)
        #expect(real.regressions.map(\.id.name) == ["op0", "op1"], "\(real.rows.prefix(3))")
        // Planning: an inconclusive row names the runs a side that would settle it, and that many
        // would: (z + z)·√(2(σ² + w)/n) ≤ log(1 + threshold).
        let row = try #require(judged.rows.first { $0.verdict == .inconclusive })
        let n = try #require(row.runsASideNeeded)
        let z = Normal.quantile(1 - 0.05 / 40) + Normal.quantile(0.8)
        func se(_ k: Int) -> Double { (2 * (0.05 * 0.05 + row.withinRunLogVariance!) / Double(k)).squareRoot() }
        #expect(z * se(n) <= log(1.05) && z * se(n - 1) > log(1.05), "n = \(n)")
        #expect(try judged.export(as: .table).contains("would be settled by \(n) runs a side"))
        // A spread of another machine is not used, and says so.
        var other = spread
        other.machine = MachineKey(rawValue: "elsewhere")
        let foreign = try Comparison.compare(base: base, new: moved, spread: other)
        #expect(foreign.spread?.contains("not used") == true && foreign.rows.allSatisfy { $0.mde == nil })
    }

    /// Family control is applied: of 50 rows one moved by 2.4 standard errors, significant on
    /// its own (p ≈ 0.03) but not among 50 (Holm needs p ≤ 0.001); one moved by 8 is seen either way.
    @Test func familyControlIsApplied() throws {
        let sd = 0.05, se = (2 * sd * sd + 2 * 1e-6).squareRoot()
        var new = Self.report(rows: 50, phase: 1)
        for (i, k) in [(0, 2.4), (1, 8.0)] {
            new.results[i].samples = new.results[i].samples.map { $0 * exp(k * se) }
            new.results[i].summary = Summary(samples: new.results[i].samples)
        }
        let base = Self.report(rows: 50, phase: 1), spread = Self.spread(rows: 50, logSD: sd, runs: 30)
        let holm = try Comparison.compare(base: base, new: new, thresholds: Thresholds(default: 1), spread: spread)
        let perRow = try Comparison.compare(base: base, new: new, thresholds: Thresholds(default: 1), spread: spread, family: .none)
        #expect(holm.regressions.map(\.id.name) == ["op1"] && holm.family == .holm, "\(holm.rows.prefix(2).map(\.pValue))")
        #expect(perRow.regressions.map(\.id.name) == ["op0", "op1"])
        #expect(try holm.export(as: .table).contains("Family: Holm over the rows"))
        // And its MDE is the one a lone change must reach among 50 rows, wider than a row alone's.
        #expect((holm.rows[5].mde ?? 0) > (perRow.rows[5].mde ?? .infinity))
    }

    /// A doctored canary (zeros, negatives) neither excuses nor confirms anything: the verdicts
    /// are the same with it, without it, and with a canary that "ran 3× faster".
    @Test func theCanaryIsNeverJudgedBy() throws {
        let spread = Self.spread(rows: 5, logSD: 0.02)
        let base = Self.report(rows: 5, phase: 1)
        var slower = Self.report(rows: 5, phase: 3)
        let plain = try Comparison.compare(base: base, new: slower, spread: spread)
        for canary in [[0.0, 0, 0], [-1, -1, -1], [1, 1, 1]] {
            var b = base
            b.canary = HostCanary(samples: [3, 3, 3], nsPerOp: 3, ghz: 1)
            slower.canary = HostCanary(samples: canary, nsPerOp: canary[0], ghz: 1)
            let c = try Comparison.compare(base: b, new: slower, spread: spread)
            #expect(c.rows.map(\.verdict) == plain.rows.map(\.verdict) && c.regressions.count == 5, "\(canary): \(c.rows.map(\.verdict))")
        }
    }

    /// History judges each run against the base by the spread of its own runs (each kernel's
    /// about its own mean), Holm per column: a new kernel's +50% is a regression, the rest not.
    @Test func historyUsesItsOwnRunsSpread() throws {
        let phases = [1.0, 1.03, 0.98, 1.01, 1.02]
        let runs = phases.enumerated().map { i, p in
            (path: "r\(i).json", report: Self.report(rows: 3, phase: p, startedAt: "2026-12-01T0\(i):00:00Z"))
        } + [(path: "slow.json", report: Self.report(rows: 3, phase: 1.0, change: 1.5, changed: 1, startedAt: "2026-12-01T09:00:00Z",
                                                               kernel: "6.19.0"))]
        let h = History.build(runs)
        #expect(h.spread?.runs == 6 && h.spread?.entry(BenchmarkID(SuiteName("syscall"), "op0", "raw"))?.degreesOfFreedom == 4)
        let op0 = try #require(h.rows.first { $0.id.name == "op0" }), op2 = try #require(h.rows.first { $0.id.name == "op2" })
        #expect(op0.cells.last??.verdict == .regression, "\(op0.cells.map { $0?.verdict })")
        #expect(op2.cells.dropFirst().allSatisfy { $0?.verdict != .regression && $0?.verdict != .improvement }, "\(op2.cells.map { $0?.verdict })")
    }
}
