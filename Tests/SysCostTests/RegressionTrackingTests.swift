import Foundation
@testable import SysCost
@testable import SysCostAnalysis
@testable import SysCostModel
import Testing
import SysCostTestSupport

/// The regression-tracking workflow end to end through the CLI: nothing measured is lost,
/// interrupted runs are not filed, baselines gate.
@Suite struct RegressionTrackingTests {
    static func tempDir(_ tag: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("syscost-\(tag)-\(UUID())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    static func jsonFiles(under dir: String) -> [String] {
        (FileManager.default.enumerator(atPath: dir)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".json") }
    }

    static let short = ["--repetitions", "3", "--min-batch-time", "1", "--warmup", "0"]

    @Test func anUnwritableOutputIsRefusedBeforeMeasuring() throws {
        let r = try CLI.run(["run", "syscall/getppid/raw", "--output", "/nonexistent/x.json"])
        #expect(r.status == 2 && r.stderr.contains("cannot write /nonexistent/x.json: /nonexistent does not exist"), "\(r.stderr)")
        #expect(r.stdout.isEmpty && !r.stderr.contains("measuring"), "nothing may be measured: \(r.stderr)")
        let save = try CLI.run(["run", "syscall/getppid/raw", "--save", "--results-dir", "/proc/syscost-results"])
        #expect(save.status == 2 && save.stderr.contains("cannot create /proc/syscost-results"), "\(save.stderr)")
    }

    /// The output's folder vanishes while the run measures: the report lands in a fallback file
    /// whose path is printed, whole, and the exit status says the write failed.
    @Test func aFailedWriteLeavesTheWholeReportInAFallback() throws {
        let dir = try Self.tempDir("gone")
        let started = try CLI.start(["run", "syscall/getppid/raw", "syscall/invalid/raw", "--output", "\(dir)/run.json"] + Self.short)
        let said = try CLI.waitFor("measuring", in: started)
        try FileManager.default.removeItem(atPath: dir)
        let r = CLI.finish(started, stderrSoFar: said)
        #expect(r.status == 3, "\(r.stderr)")
        let line = try #require(r.stderr.split(separator: "\n").first { $0.contains("the report is in ") }, "\(r.stderr)")
        let fallback = String(line[line.range(of: "the report is in ")!.upperBound...])
        defer { unlink(fallback) }
        let report = try RunReport.decode(try Data(contentsOf: URL(fileURLWithPath: fallback)))
        #expect(report.results.count == 2 && report.results.allSatisfy { $0.samples.count == 3 && $0.status == .ok })
        #expect(r.stdout.contains("syscall/getppid/raw"))
    }

    @Test func anInterruptedRunIsNotFiledUnlessAsked() throws {
        for partial in [false, true] {
            let dir = try Self.tempDir("partial")
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let started = try CLI.start(["run", "syscall", "--repetitions", "500", "--warmup", "0", "--save", "--results-dir", dir]
                                        + (partial ? ["--save-partial"] : []))
            let said = try CLI.waitFor("round 1/500 done", in: started)
            kill(started.0.processIdentifier, SIGINT)
            let r = CLI.finish(started, stderrSoFar: said)
            #expect(r.status == 130, "\(r.stderr)")
            let files = Self.jsonFiles(under: dir)
            if partial {
                #expect(files.count == 1, "\(r.stderr)")
                let saved = try ReportLoader.load("\(dir)/\(files[0])")
                #expect(saved.interrupted)
            } else {
                #expect(files.isEmpty && r.stderr.contains("not saved: the run was interrupted"), "\(r.stderr)")
            }
        }
    }

    /// calibrate (three runs: the machine's spread) → save → check unchanged (exit 0) → check
    /// under a 1000-instruction seccomp filter (exit 1, naming getppid) → the same with
    /// syscall/* loosened to 500% (exit 0); a baseline of several runs; list and delete.
    @Test func baselinesGate() throws {
        let dir = try Self.tempDir("baselines")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let plain = "\(dir)/plain.json", filtered = "\(dir)/filtered.json", loose = "\(dir)/loose.json"
        let id = "syscall/getppid/raw"
        let enough = ["--cpu", "0", "--repetitions", "9", "--min-batch-time", "2", "--warmup", "50"]
        let store = ["--dir", "\(dir)/baselines"], spreads = ["--spread-dir", "\(dir)/results"]
        // Without a spread, one run a side gives no verdict, and says what would settle it.
        #expect(try CLI.run(["run", id, "--output", plain] + enough).status == 0)
        #expect(try CLI.run(["baseline", "save", "main", plain] + store).status == 0)
        #expect(try CLI.run(["run", id, "--seccomp-whole-run", "1000", "--output", filtered] + enough).status == 0)
        let blind = try CLI.run(["baseline", "check", "main", filtered] + store + spreads)
        #expect(blind.status == 0 && blind.stdout.contains("take 3 runs a side, or learn the spread"), "\(blind.stdout)")
        // Three runs, saved, and the spread learned from them beside them.
        let calibrated = try CLI.run(["calibrate", id, "--runs", "3", "--spacing", "0", "--results-dir", "\(dir)/results"] + enough)
        #expect(calibrated.status == 0 && calibrated.stderr.contains("between-runs.spread") && calibrated.stdout.contains(id), "\(calibrated.stderr)")
        // Tests beside this one share the CPUs: a pair they disturbed is `inconclusive` (measure
        // again, up to three times), never a pass by a verdict of no change.
        var slower = CLI.Outcome(status: -1, stdout: "", stderr: "")
        for _ in 0..<3 {
            let same = try CLI.run(["baseline", "check", "main", plain] + store + spreads)
            #expect(same.status == 0 && same.stderr.contains("no regression against 'main'"), "\(same.stderr)")
            slower = try CLI.run(["baseline", "check", "main", filtered, "--json"] + store + spreads)
            let row = try JSONDecoder().decode(Comparison.self, from: Data(slower.stdout.utf8)).rows.first
            #expect(row?.verdict == .regression || row?.verdict == .inconclusive, "\(slower.stdout)")
            if slower.status == 1 { break }
            #expect(try CLI.run(["run", id, "--output", plain] + enough).status == 0)
            #expect(try CLI.run(["baseline", "save", "main", plain] + store).status == 0)
            #expect(try CLI.run(["run", id, "--seccomp-whole-run", "1000", "--output", filtered] + enough).status == 0)
        }
        #expect(slower.status == 1 && slower.stderr.contains("regression against 'main': \(id)"), "\(slower.stdout)\(slower.stderr)")
        // A baseline of several runs, checked against several: both sides' runs are judged.
        let several = try CLI.run(["baseline", "save", "pair", plain, plain] + store)
        #expect(several.status == 0 && several.stderr.contains("2 runs"), "\(several.stderr)")
        let pair = try CLI.run(["baseline", "check", "pair", plain, plain, "--json"] + store + spreads)
        let c = try JSONDecoder().decode(Comparison.self, from: Data(pair.stdout.utf8))
        #expect(pair.status == 0 && c.baseRuns == 2 && c.newRuns == 2, "\(pair.stderr)")
        #expect(try CLI.run(["baseline", "delete", "pair"] + store).status == 0)

        try #"{"default": 5, "rules": [{"pattern": "syscall/*", "percent": 500}]}"#.write(toFile: loose, atomically: true, encoding: .utf8)
        let loosened = try CLI.run(["baseline", "check", "main", filtered, "--thresholds", loose] + store)
        #expect(loosened.status == 0, "\(loosened.stdout)\(loosened.stderr)")
        #expect(loosened.stdout.contains("±500%"))

        let list = try CLI.run(["baseline", "list"] + store)
        let measuredOn = try ReportLoader.load(plain).environment.fingerprint.key.rawValue
        #expect(list.status == 0 && list.stdout.contains("main") && list.stdout.contains(measuredOn))
        for bad in ["../escape", ".hidden", "a/b", ""] {
            let r = try CLI.run(["baseline", "save", bad, plain] + store)
            #expect(r.status == 2 && r.stderr.contains("is not a baseline name"), "\(bad): \(r.stderr)")
        }
        let missing = try CLI.run(["baseline", "check", "nope", plain] + store)
        #expect(missing.status == 2 && missing.stderr.contains("no baseline 'nope'") && missing.stderr.contains("there are: main"))
        #expect(try CLI.run(["baseline", "delete", "main"] + store).status == 0)
        #expect(Self.jsonFiles(under: "\(dir)/baselines").isEmpty)
    }
}
