import Foundation
import SysCostModel
import Testing
import SysCostTestSupport

/// `syscost bisect` over a results tree of synthetic icount boots, as kernel-matrix.sh --bisect
/// drives it: `--next` names the release to boot until the search ends, then the plain command
/// names the first that moved.
@Suite struct BisectCommandTests {
    static let series = ["6.12.100", "6.12.101", "6.12.107", "6.12.111", "6.12.113"].map { $0 + "+deb12-cloud-amd64" }

    static func save(_ release: String, floor: Double, under root: String, seed: Int) throws {
        for b in 0..<2 {
            let samples: [Double] = (0..<10).map { (k: Int) -> Double in floor * (1 + 1e-7 * Double((k + b) % 3)) }
            let report = Synthetic.report(kernel: release, startedAt: "2026-12-04T22:\(10 + seed):0\(b)Z",
                                          clock: InstructionClock(cpuModel: "max"), [Synthetic.result("syscall/invalid/raw", samples)])
            _ = try SavedRuns.save(Data(try PrettyJSON.string(report).utf8), for: report, under: root)
        }
    }

    @Test func nextNamesWhatToBootThenTheFirstThatMovedIsNamed() throws {
        let tree = try TempFolder("bisect")
        defer { tree.remove() }
        let args = ["bisect", "syscall/invalid/raw", "--results", tree.path, "--"] + Self.series
        var booted: [String] = []
        for _ in 0..<Self.series.count + 1 {
            let r = try CLI.run(Array(args.prefix(4)) + ["--next"] + Array(args.dropFirst(4)))
            #expect(r.status == 0, "\(r.stderr)")
            let next = r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            if next.isEmpty { break }
            let i = try #require(Self.series.firstIndex(of: next), "not a release of the series: \(next)")
            booted.append(next)
            try Self.save(next, floor: i >= 3 ? 412.8 : 392.3, under: tree.path, seed: i)
        }
        #expect(booted == [Self.series[0], Self.series[4], Self.series[2], Self.series[3]])
        let r = try CLI.run(args)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("first moved: 6.12.111+deb12-cloud-amd64 (392.3 → 412.8 insn)"), "\(r.stdout)")
        #expect(r.stdout.contains("6.12.107+deb12-cloud-amd64 was the last"))
    }

    @Test func missingRunsAndBadInputAreNamed() throws {
        let tree = try TempFolder("bisect-missing")
        defer { tree.remove() }
        try Self.save(Self.series[0], floor: 392.3, under: tree.path, seed: 0)
        let missing = try CLI.run(["bisect", "syscall/invalid/raw", "--results", tree.path, "--"] + Self.series)
        #expect(missing.status == 1 && missing.stdout.contains("no run of \(Self.series[4])"))
        let one = try CLI.run(["bisect", "syscall/invalid/raw", "--results", tree.path, "--", Self.series[0]])
        #expect(one.status == 2 && one.stderr.contains("at least two kernel releases"))
        let id = try CLI.run(["bisect", "syscall", "--results", tree.path, "--"] + Self.series)
        #expect(id.status == 2 && id.stderr.contains("not a benchmark id"))
        let model = try CLI.run(["bisect", "syscall/invalid/raw", "--cpu-model", "max;reboot", "--results", tree.path, "--"] + Self.series)
        #expect(model.status == 2 && model.stderr.contains("--cpu-model"))
    }
}
