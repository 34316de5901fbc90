import Foundation
import SysCostAnalysis
import SysCostModel
import SysCostSuites
import SysCostStatistics
import SysCostRender
import Testing
import SysCostTestSupport

/// Every committed report under results/, rendered in every format, against the snapshot
/// committed beside this file. A change in what a person reads shows as a diff here; after
/// checking it, `SYSCOST_UPDATE_SNAPSHOTS=1 swift test --filter Snapshot` writes them anew.
/// This target links no C and no libpfm4: reading and rendering saved runs needs neither.
@Suite struct SnapshotTests {
    static let root = PackageRoot.url
    static let snapshots = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")

    static var reports: [String] {
        let results = root.appendingPathComponent("results").path
        return (FileManager.default.enumerator(atPath: results)?.allObjects as? [String] ?? [])
            .filter { $0.hasSuffix(".json") }.sorted()
    }

    @Test(arguments: reports)
    func committedReportRendersAsBefore(path: String) throws {
        let report = try ReportLoader.load(Self.root.appendingPathComponent("results/" + path).path)
        let update = ProcessInfo.processInfo.environment["SYSCOST_UPDATE_SNAPSHOTS"] == "1"
        // google-benchmark's JSON is every round of every result, 4 MB a run: GoogleBenchmarkTests
        // checks it field by field and through compare.py instead.
        for format in OutputFormat.allCases where format != .googleBenchmark {
            let rendered = try (report).export(as: format, ExportOptions(pretty: true))
            let file = Self.snapshots.appendingPathComponent(path.replacingOccurrences(of: "/", with: "_") + "." + format.rawValue + ".snap")
            if update {
                try rendered.write(to: file, atomically: true, encoding: .utf8)
                continue
            }
            let expected = try String(contentsOf: file, encoding: .utf8)
            if rendered != expected {
                let a = rendered.split(separator: "\n", omittingEmptySubsequences: false)
                let b = expected.split(separator: "\n", omittingEmptySubsequences: false)
                let line = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
                Issue.record("""
                    \(path) as \(format.rawValue) differs from Snapshots/\(file.lastPathComponent) at line \(line + 1):
                      now:      \(line < a.count ? String(a[line].prefix(200)) : "(end)")
                      snapshot: \(line < b.count ? String(b[line].prefix(200)) : "(end)")
                    """)
            }
        }
    }

    /// A `/1` report read and written again as `/3` keeps every figure.
    @Test(arguments: reports)
    func oldReportsSurviveARoundTrip(path: String) throws {
        let report = try ReportLoader.load(Self.root.appendingPathComponent("results/" + path).path)
        let again = try RunReport.decode(Data(try PrettyJSON.string(report).utf8))
        #expect(again == report)
        #expect(again.schema == RunReport.schemaVersion)
    }

    /// History and compare of the committed runs, with no C linked.
    @Test func historyAndCompareOfTheCommittedRuns() throws {
        let runs = try ReportLoader.collect([Self.root.appendingPathComponent("results").path])
        let history = History.build(runs)
        #expect(history.runs.count == runs.count)
        let hardware = runs.filter { $0.report.environment.emulated != true }
        let c = try Comparison.compare(base: hardware[0].report, new: hardware[1].report)
        #expect(c.rows.count > 100)
        #expect(c.regressions.isEmpty)
    }
}

/// Figures derived from several results, paired by round, on synthetic data whose host drifts.
@Suite struct PairedEstimateTests {
    /// A host whose speed swings ±20% between rounds (every benchmark of a round alike), and a
    /// wrapper that adds exactly 3 ns: the pair finds 3 ns tightly (a resample keeps whole
    /// rounds, so the phase stays shared).
    @Test func pairingCancelsTheHostsPhase() throws {
        let phase = (0..<15).map { 1 + 0.2 * sin(Double($0) * 1.7) }
        let raw = phase.map { 100 * $0 }, libc = phase.map { 100 * $0 + 3 }
        let paired = try #require(PairedEstimate.over([libc, raw], interleaved: true) { $0[0] - $0[1] })
        #expect(abs(paired.value - 3) < 1e-9 && paired.excludes(0) && paired.rounds == 15)
        #expect(paired.differenceText() == "3.00 ns (3.00…3.00)")
        // Not interleaved: rounds do not pair, and no figure is made up.
        #expect(PairedEstimate.over([libc, raw], interleaved: false) { $0[0] - $0[1] } == nil)
    }

    /// Two benchmarks whose undisturbed costs differ by 0.5 ns under batch noise of several ns:
    /// no sign is claimed. Five rounds give no interval at all.
    @Test func aDifferenceInsideTheNoiseIsNotASign() throws {
        var rng = SplitMix64(seed: 7)
        func noisy(_ floor: Double) -> [Double] { (0..<15).map { _ in floor - 4 * log(1 - Double(rng.next() >> 11) / Double(1 << 53)) } }
        let a = noisy(100), b = noisy(100.5)
        let d = try #require(PairedEstimate.over([a, b], interleaved: true) { $0[0] - $0[1] })
        #expect(!d.excludes(0), "\(d)")
        #expect(d.differenceText().hasPrefix("below noise (−"), "\(d.differenceText())")
        let few = try #require(PairedEstimate.over([Array(a.prefix(5)), Array(b.prefix(5))], interleaved: true) { $0[0] - $0[1] })
        #expect(few.low == nil && few.differenceText() == "below noise (no interval: 5 rounds)")
    }

    /// The paired interval covers the truth about as often as it says: rounds that share a
    /// slow phase 30% of the time (+20%), and batch noise that only adds (exponential), on a
    /// ratio of two floors whose true undisturbed ratio is known from a long simulation.
    @Test func thePairedIntervalCoversTheTruth() throws {
        var rng = SplitMix64(seed: 11)
        func uniform() -> Double { Double(rng.next() >> 11) / Double(1 << 53) }
        func rounds(_ n: Int) -> (a: [Double], b: [Double]) {
            var a: [Double] = [], b: [Double] = []
            for _ in 0..<n {
                let phase = uniform() < 0.7 ? 1.0 : 1.2
                a.append(phase * (120 - 4 * log(1 - uniform())))
                b.append(phase * (86 - 3 * log(1 - uniform())))
            }
            return (a, b)
        }
        let long = rounds(40_000)
        let truth = Estimator.undisturbed.value(long.a)! / Estimator.undisturbed.value(long.b)!
        for (n, least) in [(15, 0.90), (40, 0.93)] {
            var covered = 0
            let trials = 100
            for _ in 0..<trials {
                let r = rounds(n)
                let e = try #require(PairedEstimate.over([r.a, r.b], interleaved: true) { $0[0] / $0[1] })
                if let lo = e.low, let hi = e.high, lo <= truth, truth <= hi { covered += 1 }
            }
            #expect(Double(covered) / Double(trials) >= least, "\(n) rounds: \(covered) of \(trials) intervals cover \(truth)")
        }
    }

    @Test func smallSamplesHaveNoInterval() throws {
        for n in 1...5 { #expect(Summary(samples: (0..<n).map(Double.init))?.ci95Low == nil, "n = \(n)") }
        let six = try #require(Summary(samples: (0..<6).map(Double.init)))
        #expect(six.ci95Low == 0 && six.ci95High == 5)  // min–max covers 1 − 2/64 = 96.9%
        #expect(Format.ci(Summary(samples: [1, 2, 3])) == "none (n<6)")
        #expect(Format.cv(Summary(samples: [113.2])) == "-")
    }
}

/// What the derived sentences may say: a saving is never negative and a cost never has its
/// sign flipped; a difference inside the noise is "below noise (−…+…)", a difference clearly
/// the other way round is said in words ("none: the thread costs more by …", "overlap: …",
/// "… dearer").
@Suite struct SignTests {
    /// A negative number in a section line, outside a "below noise (lo…hi)" interval.
    static func signedFacts(_ lines: [String]) -> [String] {
        lines.filter { line in
            let stripped = line.replacingOccurrences(of: #"below noise \([^)]*\)"#, with: "", options: .regularExpression)
            return stripped.range(of: #"(^|[\s(])[-−]\d"#, options: .regularExpression) != nil
        }
    }

    @Test(arguments: SnapshotTests.reports)
    func noCommittedReportSaysANegativeSaving(path: String) throws {
        let report = try ReportLoader.load(SnapshotTests.root.appendingPathComponent("results/" + path).path)
        let document = RunDocument(report)
        let lines = document.sections.filter { !$0.title.hasPrefix("Counters") }.flatMap { section in
            section.lines + (section.table.map { [$0.header] + $0.rows }?.map { $0.joined(separator: "  ") } ?? [])
        }
        #expect(Self.signedFacts(lines).isEmpty, "\(Self.signedFacts(lines))")
    }

    /// Synthetic runs where every figure goes the "wrong" way, clearly: glibc faster than the
    /// raw call, the vDSO slower than the syscall, a thread dearer than a process, a walk and a
    /// call cheaper together than apart.
    @Test func figuresTheWrongWayRoundAreSaidInWords() throws {
        func steady(_ x: Double) -> [Double] { (0..<15).map { x + Double($0 % 3) * 0.01 } }
        func result(_ id: BenchmarkID, _ samples: [Double], _ relations: [Relation] = [], unit: FigureUnit = .nsPerOp) -> BenchmarkResult {
            var r = BenchmarkResult(id: id, category: .processControl, description: "", syscallsPerOp: 1, iterationsPerBatch: 1,
                                    overheadNs: 0, samples: samples, summary: Summary(samples: samples), tscCyclesPerOp: nil,
                                    warnings: [], status: .ok)
            r.relations = relations
            r.unit = unit
            return r
        }
        let pipe = BenchmarkID(.ctxswitch, "pipe", "no-switch")
        var results = [
            result(SyscallDescriptor.enosys, steady(80)),
            result(SyscallDescriptor.getppid, steady(120)),
            result(SyscallDescriptor.getppidLibc, steady(110)),
            result(BenchmarkID(.vdso, "time", "vdso"), steady(200), [Relation(.syscallForm, BenchmarkID(.vdso, "time", "syscall"))]),
            result(BenchmarkID(.vdso, "time", "syscall"), steady(100)),
            result(pipe, steady(1000)),
            result(CtxSwitchDescriptor.pipeProcess, steady(1500), [Relation(.transport, pipe)], unit: .nsPerSwitch),
            result(CtxSwitchDescriptor.pipeThread, steady(1700), [Relation(.transport, pipe)], unit: .nsPerSwitch),
            result(BenchmarkID(.indirect, "walk-4K", "none"), steady(70)),
            result(BenchmarkID(.indirect, "walk-4K", "getppid"), steady(150),
                   [Relation(.baseline, BenchmarkID(.indirect, "walk-4K", "none")), Relation(.directCost, SyscallDescriptor.getppid)]),
        ]
        // A timed run's environment (an instruction count's would say insn, as it should).
        let environment = try #require(try SnapshotTests.reports.lazy
            .map { try ReportLoader.load(SnapshotTests.root.appendingPathComponent("results/" + $0).path).environment }
            .first { $0.instructionClock == nil })
        Suites.derive(&results, in: RunContext(environment: environment, interleaved: true))
        let config = RunConfig(patterns: [], cpu: 0, repetitions: 15, minBatchTimeMs: 10, interleave: true, quick: false,
                               warmupMs: 0, startedAt: "2026-11-29T00:00:00Z", durationSeconds: 1)
        let text = try (RunReport(environment: environment, config: config, results: results)).export(as: .table)
        let lines = text.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("syscall/") && !$0.hasPrefix("vdso/") && !$0.hasPrefix("indirect/") && !$0.hasPrefix("ctxswitch/") }
        #expect(Self.signedFacts(lines).isEmpty, "\(Self.signedFacts(lines))")
        #expect(text.contains("none: glibc's call is faster by 10.00 ns"), "\(text)")
        #expect(text.contains("2.00× dearer"), "\(text)")
        #expect(text.contains("overlap: together less by 40.00 ns"), "\(text)")
    }
}

/// Compact reports: a counter no result could count, for one reason, is written once, and one
/// line of JSON unless `--pretty`; reading gives every result its reason back.
@Suite struct CompactReportTests {
    @Test func aSharedReasonIsWrittenOnceAndReadBackEverywhere() throws {
        let report = try ReportLoader.load(SnapshotTests.root.appendingPathComponent("results/vm/6.18.44-fc-v595/20261129T073007Z.json").path)
        let reason = try #require(report.results.first?.counters?["cycles:u"]?.reason)
        let compact = try (report).export(as: .json)
        // Once per counter it stands for, not once per counter per result.
        let perResult = try #require(report.results.first?.counters).values.filter { $0.reason == reason }.count
        #expect(compact.components(separatedBy: reason).count - 1 == perResult, "\(perResult) counters share the no-PMU sentence")
        #expect(compact.contains("\"unavailableCounters\":{") && compact.split(separator: "\n").count == 1)
        let again = try RunReport.decode(Data(compact.utf8))
        #expect(again == report)
        #expect(again.results.allSatisfy { $0.counters == nil || $0.counters?["cycles:u"]?.reason == reason })
        #expect(try (report).export(as: .json, ExportOptions(pretty: true)).split(separator: "\n").count > 1000)
    }
}
