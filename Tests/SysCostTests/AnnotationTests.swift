import Foundation
@testable import SysCost
@testable import SysCostStatistics
@testable import SysCostModel
@testable import SysCostSuites
@testable import SysCostAnalysis
@testable import SysCostRender
import Testing
import SysCostTestSupport

/// The derived figures computed from several results of one run.
@Suite struct AnnotationTests {
    static func result(_ id: BenchmarkID, _ samples: [Double], _ relations: [Relation] = []) -> BenchmarkResult {
        var r = BenchmarkResult(id: id, category: .processControl, description: "",
                                syscallsPerOp: 1, iterationsPerBatch: 1, overheadNs: 0, samples: samples,
                                summary: Summary(samples: samples), tscCyclesPerOp: nil, warnings: [], status: .ok)
        r.relations = relations
        return r
    }

    static var environment: EnvironmentInfo {
        var e = Synthetic.environment
        e.clocksource = "hpet"
        return e
    }

    /// 15 rounds of `floor` plus exponential delays of mean 3 ns (seeded).
    static func noisy(_ floor: Double, seed: UInt64) -> [Double] {
        var rng = SplitMix64(seed: seed)
        return (0..<15).map { _ in floor - 3 * log(1 - Double(rng.next() >> 11) / Double(1 << 53)) }
    }

    static func steady(_ value: Double) -> [Double] { (0..<15).map { value + Double($0 % 3) * 0.01 } }

    @Test func vdsoSpeedupAndFallbackWarning() {
        var results = [
            Self.result("vdso/clock_gettime-monotonic/vdso", Self.steady(20), [Relation(.syscallForm, "vdso/clock_gettime-monotonic/syscall")]),
            Self.result("vdso/clock_gettime-monotonic/syscall", Self.steady(160)),
            // fell back to the syscall
            Self.result("vdso/gettimeofday/vdso", Self.steady(150), [Relation(.syscallForm, "vdso/gettimeofday/syscall")]),
            Self.result("vdso/gettimeofday/syscall", Self.steady(160)),
        ]
        VDSODescriptor().derive(&results, in: RunContext(environment: Self.environment, interleaved: true))
        #expect(abs((results[0].speedupOverSyscall?.value ?? 0) - 8) < 0.01)
        #expect(results[0].warnings.isEmpty)
        #expect(results[1].speedupOverSyscall == nil)
        let fallback = results[2].warnings.first { $0.kind == .vdsoFallback }
        #expect(fallback?.message.contains("clocksource is hpet") == true)
    }

    @Test func indirectCostSubtractsBaselineAndDirect() {
        var results = [
            Self.result("syscall/getppid/raw", Self.steady(100)),
            Self.result("indirect/walk-1M/none", Self.steady(500)),
            Self.result("indirect/walk-1M/getppid", Self.steady(640),
                        [Relation(.baseline, "indirect/walk-1M/none"), Relation(.directCost, "syscall/getppid/raw")]),
            // The walk with getppid costs exactly the walk plus getppid, under independent batch
            // noise of a few ns on both walks (it only adds time).
            Self.result("indirect/walk-4K/none", Self.noisy(70, seed: 3)),
            Self.result("indirect/walk-4K/getppid", Self.noisy(170, seed: 4),
                        [Relation(.baseline, "indirect/walk-4K/none"), Relation(.directCost, "syscall/getppid/raw")]),
        ]
        IndirectDescriptor().derive(&results, in: RunContext(environment: Self.environment, interleaved: true))
        let big = results[2].indirect
        #expect(big.map { abs($0.extraNs - 40) < 0.05 } == true)
        #expect(big?.baselineNs == results[1].undisturbed)
        #expect(results[2].warnings.isEmpty)
        // Its paired interval spans zero: flagged, and the table says "below noise".
        #expect(results[4].has(.withinNoise))
    }

    @Test func requiredDirectCostsJoinTheSelection() throws {
        let ids = try Catalog.select(["indirect/walk-4K/*"]).map(\.id)
        #expect(ids.contains("syscall/getppid/raw") && ids.contains("syscall/stat/raw"))
        #expect(ids.filter { $0.suite == .indirect }.count == 3)
    }
}
