import Foundation
import SysCostAnalysis
import SysCostModel
import Testing
import SysCostTestSupport

/// `Bisection`'s search order on synthetic runs: each "boot" makes two runs of the release it
/// names, exact to a millionth, whose ENOSYS floor is 392.3 instructions before `moved` and
/// 412.8 from it, as Debian's 6.12 kernels would read if one update lengthened every entry.
@Suite struct BisectionTests {
    static let series = ["6.12.100", "6.12.101", "6.12.107", "6.12.111", "6.12.113", "6.12.115", "6.12.117", "6.12.118"]
        .map { $0 + "+deb12-cloud-amd64" }

    static func boots(_ release: String, floor: Double, seed: Int, pipeSpread: Double = 0, rounds: Int = 10, wobble: Double = 1e-7) -> [RunReport] {
        (0..<2).map { (b: Int) -> RunReport in
            let floors: [Double] = (0..<rounds).map { (k: Int) -> Double in floor * (1 + wobble * Double((k + b + seed) % 3)) }
            let pipes: [Double] = (0..<rounds).map { (k: Int) -> Double in 4669 * (1 + pipeSpread * Double(b) + 1e-4 * Double(k % 3)) }
            var results = [Synthetic.result("syscall/invalid/raw", floors), Synthetic.result("ctxswitch/pipe-process/same-cpu", pipes)]
            results[1].unit = .nsPerSwitch
            return Synthetic.report(kernel: release, startedAt: "2026-12-04T22:\(10 + seed):0\(b)Z", clock: InstructionClock(cpuModel: "max"), results)
        }
    }

    /// Runs the search to its end, booting what it asks for; the releases booted, in order.
    static func search(_ id: BenchmarkID = "syscall/invalid/raw", moved: Int?, pipeSpread: Double = 0)
        throws -> (boots: [Int], step: Bisection.Step) {
        let b = Bisection(id: id, series: series, thresholds: Thresholds(default: Comparison.instructionThreshold * 100))
        var runs: [Int: [RunReport]] = [:], order: [Int] = []
        for _ in 0..<series.count + 1 {
            let (step, _) = try b.next(runs: runs)
            guard case .boot(let i) = step else { return (order, step) }
            #expect(runs[i] == nil, "release \(i) asked for twice")
            order.append(i)
            runs[i] = boots(series[i], floor: moved.map { i >= $0 ? 412.8 : 392.3 } ?? 392.3, seed: i,
                            pipeSpread: pipeSpread)
        }
        Issue.record("the search did not end")
        return (order, .unmoved)
    }

    @Test func theEndsFirstThenHalvesTowardTheFirstThatMoved() throws {
        // 8 releases, the floor longer from index 5 (6.12.115): 0 and 7, then 3 (unmoved), 5
        // (moved), 4 (unmoved): 6.12.115 is the first, 6.12.113 the last that had not.
        let five = try Self.search(moved: 5)
        #expect(five.boots == [0, 7, 3, 5, 4])
        #expect(five.step == .found(first: 5, last: 4))
        let one = try Self.search(moved: 1)
        #expect(one.boots == [0, 7, 3, 1])
        #expect(one.step == .found(first: 1, last: 0))
        let last = try Self.search(moved: 7)
        #expect(last.boots == [0, 7, 3, 5, 6])
        #expect(last.step == .found(first: 7, last: 6))
    }

    @Test func aFigureThatDidNotMoveEndsAfterTheEnds() throws {
        let none = try Self.search(moved: nil)
        #expect(none.boots == [0, 7])
        #expect(none.step == .unmoved)
    }

    @Test func aFigureWhoseBootsVaryStopsUndecidedInsteadOfGuessing() throws {
        // The pipe's two boots differ by 3%: against the first kernel no step can tell.
        let result = try Self.search("ctxswitch/pipe-process/same-cpu", moved: nil, pipeSpread: 0.03)
        #expect(result.boots == [0, 7])
        guard case .undecided(7, _) = result.step else {
            Issue.record("expected undecided at the last release, got \(result.step)")
            return
        }
    }

    @Test func runsItAlreadyHasAreNotBootedAgain() throws {
        let b = Bisection(id: "syscall/invalid/raw", series: Self.series, thresholds: Thresholds(default: 0.1))
        var runs: [Int: [RunReport]] = [:]
        for i in [0, 3, 7] { runs[i] = Self.boots(Self.series[i], floor: i >= 5 ? 412.8 : 392.3, seed: i) }
        let (step, probes) = try b.next(runs: runs)
        #expect(step == .boot(5))
        #expect(probes.map(\.index) == [7, 3])
        #expect(probes[0].row.verdict == .regression && probes[1].row.verdict == .unchanged)
    }

    /// 5 rounds a boot whose floor wobbles by 0.2% from round to round: a release that did not
    /// move cannot be called unchanged against the first (its MDE is above 0.1%), but it
    /// plainly differs from the last, which moved by 5%: it reads as the first.
    @Test func aReleaseTheFirstCannotJudgeIsPlacedByTheLast() throws {
        let b = Bisection(id: "syscall/invalid/raw", series: Self.series, thresholds: Thresholds(default: 0.1))
        var runs: [Int: [RunReport]] = [:]
        for i in [0, 3, 7] {
            runs[i] = Self.boots(Self.series[i], floor: i >= 5 ? 412.8 : 392.3, seed: i, rounds: 5, wobble: 2e-3)
        }
        let (step, probes) = try b.next(runs: runs)
        #expect(probes.first { $0.index == 3 }?.row.verdict == .inconclusive)
        #expect(step == .boot(5))
    }

    @Test func aSeriesOfOneIsRefused() {
        #expect(throws: SysCostError.self) {
            try Bisection(id: "syscall/invalid/raw", series: ["6.12.100"], thresholds: Thresholds(default: 0.1)).next(runs: [:])
        }
    }
}
