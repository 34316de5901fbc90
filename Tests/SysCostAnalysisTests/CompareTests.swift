import Foundation
@testable import SysCostStatistics
@testable import SysCostModel
@testable import SysCostAnalysis
@testable import SysCostRender
import Testing
import SysCostTestSupport

@Suite struct CompareTests {
    @Test func bootstrapIntervalCoversTheRatioAndRepeats() throws {
        let base = Synthetic.around(100), new = Synthetic.around(150)
        let ci = try #require(Bootstrap.ratio(base: [base], new: [new], estimator: .median)?.interval)
        #expect(ci.contains(1.5) && !ci.contains(1))
        #expect(Bootstrap.ratio(base: [base], new: [new], estimator: .median)?.interval == ci)
    }

    @Test func verdictsFollowSignificanceThresholdAndNoise() throws {
        let base = Synthetic.report([Synthetic.result("syscall/a/raw", Synthetic.around(100)),
                                     Synthetic.result("syscall/b/raw", Synthetic.around(100)),
                                     Synthetic.result("syscall/c/raw", Synthetic.around(100)),
                                     Synthetic.result("syscall/d/raw", Synthetic.around(100)),
                                     Synthetic.result("syscall/e/raw", Synthetic.around(100)),
                                     Synthetic.result("syscall/gone/raw", Synthetic.around(100))])
        let new = Synthetic.report([Synthetic.result("syscall/a/raw", Synthetic.around(150)),   // +50%
                                    Synthetic.result("syscall/b/raw", Synthetic.around(70)),    // −30%
                                    Synthetic.result("syscall/c/raw", Synthetic.around(100.5)), // +0.5%
                                    Synthetic.result("syscall/d/raw", Synthetic.around(132, spread: 0.3)),  // p10 ~+0%, CV ~18%
                                    Synthetic.result("syscall/e/raw", Synthetic.around(103)),   // significant, under 5%
                                    Synthetic.result("syscall/new/raw", Synthetic.around(100))])
        // One run a side: the between-run term is the machine's learned spread (0.5% here).
        let spread = Synthetic.spread(for: base, logSD: 0.005)
        #expect(try Comparison.compare(base: base, new: new).rows.allSatisfy { $0.verdict == .inconclusive && $0.mde == nil })
        let c = try Comparison.compare(base: base, new: new, spread: spread)
        let verdicts = Dictionary(uniqueKeysWithValues: c.rows.map { ($0.id, $0.verdict) })
        #expect(verdicts == [BenchmarkID("syscall/a/raw"): .regression, "syscall/b/raw": .improvement, "syscall/c/raw": .unchanged,
                             "syscall/d/raw": .inconclusive, "syscall/e/raw": .unchanged])
        #expect(c.onlyInBase == ["syscall/gone/raw"] && c.onlyInNew == ["syscall/new/raw"])
        #expect(c.regressions.map(\.id) == ["syscall/a/raw"])
        #expect(abs(c.rows[0].ratio - 1.5) < 1e-9 && c.estimator == .undisturbed)
        // Every row has an MDE: the quiet rows' within the threshold, the noisy one's beyond it.
        let mde = Dictionary(uniqueKeysWithValues: c.rows.map { ($0.id, $0.mde ?? .infinity) })
        #expect(mde["syscall/c/raw"]! < 0.05 && mde["syscall/d/raw"]! > 0.05, "\(mde)")
        let table = try (c).export(as: .table)
        #expect(table.contains("inconclusive (MDE") && table.contains("unchanged (±") && table.contains("median MDE ±"), "\(table)")
        // The same change at a 60% threshold is not one.
        #expect(try Comparison.compare(base: base, new: new, thresholds: Thresholds(default: 60), spread: spread).regressions.isEmpty)
    }

    @Test func environmentDiffNamesSeccompAndKernel() {
        let a = Synthetic.report([]), b = Synthetic.report(kernel: "6.1.0-57-cloud-amd64", seccomp: "200", [])
        let diff = EnvironmentDifference.between(a.environment, b.environment)
        #expect(diff.map(\.field) == ["kernel release", "seccomp"])
        #expect(diff[1].base == "none" || diff[1].base.hasPrefix("filter mode"))
        #expect(diff[1].new.contains("'200'"))
        #expect(EnvironmentDifference.between(a.environment, a.environment).isEmpty)
    }

    @Test func comparisonJSONRoundTrips() throws {
        let c = try Comparison.compare(base: Synthetic.report([Synthetic.result("syscall/a/raw", Synthetic.around(100))]),
                                       new: Synthetic.report([Synthetic.result("syscall/a/raw", Synthetic.around(120))]))
        let json = try (c).export(as: .json)
        #expect(try JSONDecoder().decode(Comparison.self, from: Data(json.utf8)) == c)
    }


    /// Several runs a side, through the CLI: the runs are pooled, the interval is over runs
    /// then rounds, and a real change beyond the runs' spread is still a regression.
    @Test func severalRunsASide() throws {
        let base = try (0..<3).map { i in
            try Synthetic.write(Synthetic.report([Synthetic.result("syscall/a/raw", Synthetic.around(100 + Double(i))),
                                                  Synthetic.result("syscall/b/raw", Synthetic.around(50))]), "base\(i)")
        }
        let new = try (0..<3).map { i in
            try Synthetic.write(Synthetic.report([Synthetic.result("syscall/a/raw", Synthetic.around(130 + Double(i))),
                                                  Synthetic.result("syscall/b/raw", Synthetic.around(50.2))]), "new\(i)")
        }
        defer { for p in base + new { unlink(p) } }
        let r = try CLI.run(["compare"] + base + ["--format", "json", "--"] + new)
        #expect(r.status == 1, "\(r.stderr)")
        let c = try JSONDecoder().decode(Comparison.self, from: Data(r.stdout.utf8))
        #expect(c.baseRuns == 3 && c.newRuns == 3 && c.base == base.joined(separator: " + "))
        let verdicts = Dictionary(uniqueKeysWithValues: c.rows.map { ($0.id, $0.verdict) })
        #expect(verdicts == [BenchmarkID("syscall/a/raw"): .regression, "syscall/b/raw": .unchanged], "\(c.rows)")
        let table = try CLI.run(["compare"] + base + ["--"] + new)
        #expect(table.stdout.contains("(3 runs)") && table.stdout.contains("over runs, then rounds within runs"), "\(table.stdout)")
    }

    /// A results tree with a stray JSON file (a history output) and a truncated run report:
    /// history still prints, naming each skipped file; with nothing valid left it exits 2.
    @Test func strayFilesInAResultsTreeAreSkippedAndNamed() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("syscost-tree-\(UUID())").path
        try FileManager.default.createDirectory(atPath: dir + "/vm/6.18", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let good = try Synthetic.write(Synthetic.report([Synthetic.result("syscall/a/raw", Synthetic.around(100))]), "tree")
        defer { unlink(good) }
        try FileManager.default.copyItem(atPath: good, toPath: dir + "/vm/6.18/run.json")
        try #"{"machines": []}"#.write(toFile: dir + "/history.json", atomically: true, encoding: .utf8)
        let text = try String(contentsOfFile: good, encoding: .utf8)
        try String(text.prefix(200)).write(toFile: dir + "/vm/6.18/broken.json", atomically: true, encoding: .utf8)
        let r = try CLI.run(["history", dir])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("syscall/a/raw"))
        #expect(r.stderr.contains("skipped \(dir)/history.json: schema is 'missing'"), "\(r.stderr)")
        #expect(r.stderr.contains("skipped \(dir)/vm/6.18/broken.json: not valid JSON: line "), "\(r.stderr)")
        try FileManager.default.removeItem(atPath: dir + "/vm/6.18/run.json")
        let none = try CLI.run(["report", dir])
        #expect(none.status == 2 && none.stderr.contains("no valid run report in \(dir) (2 files skipped)"), "\(none.stderr)")
    }

    @Test func badInputsExit2NamingTheProblem() throws {
        let dir = try TempFolder("empty").path
        let good = try Synthetic.write(Synthetic.report([Synthetic.result("syscall/a/raw", Synthetic.around(100))]), "good")
        let other = try Synthetic.write(Synthetic.report([Synthetic.result("syscall/b/raw", Synthetic.around(100))]), "other")
        let truncated = CLI.reportPath("truncated"), schema = CLI.reportPath("schema")
        let text = try String(contentsOfFile: good, encoding: .utf8)
        try String(text.prefix(text.count / 2)).write(toFile: truncated, atomically: true, encoding: .utf8)
        try text.replacingOccurrences(of: RunReport.schemaVersion, with: "syscost.run/9").write(toFile: schema, atomically: true, encoding: .utf8)
        defer { for p in [good, other, truncated, schema, dir] { try? FileManager.default.removeItem(atPath: p) } }

        let cases: [([String], String)] = [
            (["compare", good, truncated], "\(truncated): not valid JSON: line "),
            (["compare", schema, good], "schema is 'syscost.run/9', expected one of 'syscost.run/1', 'syscost.run/2', 'syscost.run/3'"),
            (["compare", good, "/nonexistent/run.json"], "/nonexistent/run.json: No such file or directory"),
            (["compare", good], "compare needs two reports"),
            (["compare", good, "--"], "no new runs after --"),
            (["compare", good, "--bogus", other], "unknown option '--bogus'"),
            (["history", dir], "\(dir): no report (*.json) in this directory"),
            (["history", "/nonexistent"], "/nonexistent: No such file or directory"),
            (["history", truncated], "(a truncated file?)"),
            (["report", "/nonexistent", "--html", dir + "/x.html"], "/nonexistent: No such file or directory"),
        ]
        for (args, message) in cases {
            let r = try CLI.run(args)
            #expect(r.status == 2, "\(args): exit \(r.status)")
            #expect(r.stderr.contains(message), "\(args): \(r.stderr)")
        }
    }
}

@Suite struct HistoryTests {
    @Test func kernelVersionsOrderByTheirNumbers() {
        let releases = ["6.18.44-fc-v595", "6.12.117+deb12-cloud-amd64", "6.1.0-57-cloud-amd64", "6.1.0-60-amd64", "5.10.0-30-amd64"]
        #expect(releases.map(KernelVersion.init).sorted().map(\.release)
                == ["5.10.0-30-amd64", "6.1.0-57-cloud-amd64", "6.1.0-60-amd64", "6.12.117+deb12-cloud-amd64", "6.18.44-fc-v595"])
        #expect(KernelVersion("6.12.117+deb12-cloud-amd64").numbers == [6, 12, 117])
        #expect(KernelVersion("6.1.0-57-cloud-amd64").numbers == [6, 1, 0, 57])
        #expect(KernelVersion("6.1.200") < KernelVersion("6.12.1"))
    }

    @Test func historyOrdersRunsAndMarksSignificance() throws {
        func run(_ kernel: String, _ time: String, _ a: Double, _ b: Double, spreadB: Double = 0.01, emulated: Bool = false) -> (String, RunReport) {
            ("\(kernel)/\(time).json", Synthetic.report(kernel: kernel, startedAt: time, emulated: emulated,
                                                        [Synthetic.result("syscall/a/raw", Synthetic.around(a)),
                                                         Synthetic.result("syscall/b/raw", Synthetic.around(b, spread: spreadB))]))
        }
        // One run of each kernel shows nothing of how runs vary: every cell inconclusive.
        let bare = History.build([run("6.18.44-fc-v595", "2026-11-29T09:00:00Z", 100, 100),
                                  run("6.1.0-57-cloud-amd64", "2026-11-29T08:00:00Z", 100, 100),
                                  run("6.12.117+deb12-cloud-amd64", "2026-11-29T08:30:00Z", 130, 133, spreadB: 0.3)])
        #expect(bare.spread == nil && bare.rows.allSatisfy { $0.cells.dropFirst().allSatisfy { $0?.verdict == .inconclusive } })
        // Five runs of the base kernel teach the history its spread.
        let repeats = (1...4).map { run("6.1.0-57-cloud-amd64", "2026-11-29T08:0\($0):00Z", 100 + 0.2 * Double($0 % 2), 100) }
        let h = History.build([run("6.18.44-fc-v595", "2026-11-29T09:00:00Z", 100, 100),
                               run("6.1.0-57-cloud-amd64", "2026-11-29T08:00:00Z", 100, 100),
                               run("6.12.117+deb12-cloud-amd64", "2026-11-29T08:30:00Z", 130, 133, spreadB: 0.3)] + repeats)
        #expect(h.runs.map(\.kernel) == Array(repeating: "6.1.0-57-cloud-amd64", count: 5) + ["6.12.117+deb12-cloud-amd64", "6.18.44-fc-v595"])
        #expect(h.spread?.runs == 7)
        // The base, then the 6.12 and 6.18 cells.
        func cells(_ id: BenchmarkID) throws -> [History.Cell?] {
            let r = try #require(h.rows.first { $0.id == id })
            return [r.cells[0], r.cells[5], r.cells[6]]
        }
        let a = try cells("syscall/a/raw"), b = try cells("syscall/b/raw")
        #expect(a[0]?.change == nil)  // the base
        #expect(a[1]?.verdict == .regression && History.mark(a[1]?.verdict) == "*")
        #expect(a[2]?.verdict == .unchanged && History.mark(a[2]?.verdict) == "", "\(a)")
        #expect(b[1]?.verdict == .inconclusive && History.mark(b[1]?.verdict) == "?")
        #expect(a[2]?.mde.map { $0 < 0.05 } == true && b[1]?.mde.map { $0 > 0.05 } == true)
        // An emulated run is compared only with emulated runs: here the first, so its base.
        let mixed = History.build([run("6.1.0-57-cloud-amd64", "2026-11-29T08:00:00Z", 100, 100),
                                   run("6.12.117+deb12-cloud-amd64", "2026-11-29T08:30:00Z", 400, 400, emulated: true),
                                   run("6.18.44-fc-v595", "2026-11-29T09:00:00Z", 100, 100, emulated: true)])
        let m = try #require(mixed.rows.first { $0.id == "syscall/a/raw" })
        #expect(m.cells[1]?.change == nil && m.cells[1]?.verdict == nil)
        // Emulated timings have no learned spread: a change, never a verdict beyond inconclusive.
        #expect(m.cells[2]?.verdict == .inconclusive && m.cells[2]?.change.map { $0 < -0.7 } == true)
        let mixedTable = try HistoryDocument([mixed]).export(as: .table)
        #expect(mixedTable.contains("08:30 emulated") && mixedTable.contains("not the hardware's"))
        let table = try HistoryDocument([h]).export(as: .table)
        #expect(table.contains("+30.0%*"))
        #expect(!table.contains("emulated"))
        let first = try #require(table.range(of: "6.1.0-57")), last = try #require(table.range(of: "6.18.44"))
        #expect(first.lowerBound < last.lowerBound)
        let html = try HistoryDocument([h]).export(as: .html)
        #expect(html.contains("<svg") && !html.contains("<script") && html.contains(" class=\"regression\"><title>"))
        #expect(try HistoryDocument([h]).export(as: .csv).split(separator: "\n").count == 3)
    }

    /// A tracker's years of runs: 120 kernels. Every cell is judged; the text turns to one
    /// block per benchmark with the kernels as rows; the page's trends keep every release
    /// whole in a tooltip, thin the axis labels and draw intervals as one band; `--last`
    /// keeps the newest by time.
    @Test func historyOfManyRunsStaysReadable() throws {
        let runs = (1...120).map { i -> (String, RunReport) in
            let time = String(format: "2026-%02d-%02dT%02d:00:00Z", 1 + i / 28, 1 + i % 28, i % 24)
            return ("\(i).json", Synthetic.report(kernel: "6.1.0-\(i)-cloud-amd64", startedAt: time,
                                                  [Synthetic.result("syscall/a/raw", Synthetic.around(100 + Double(i) / 10, n: 40)),
                                                   Synthetic.result("syscall/b/raw", Synthetic.around(200, n: 40))]))
        }
        // Three more runs of the first kernel: the spread every cell is judged by.
        let repeats = (1...3).map { i in
            ("r\(i).json", Synthetic.report(kernel: "6.1.0-1-cloud-amd64", startedAt: "2026-01-0\(i)T00:30:00Z",
                                            [Synthetic.result("syscall/a/raw", Synthetic.around(100.1, n: 40)),
                                             Synthetic.result("syscall/b/raw", Synthetic.around(200, n: 40))]))
        }
        let h = History.build(runs + repeats)
        #expect(h.runs.count == 123 && h.rows.allSatisfy { $0.cells.dropFirst().allSatisfy { $0?.verdict != nil } })
        // The last kernel drifted 12% from the first: a regression; b did not move.
        #expect(h.rows[0].cells.last??.verdict == .regression && h.rows[1].cells.last??.verdict == .unchanged)
        let text = try HistoryDocument([h]).export(as: .table, ExportOptions(width: 160))
        let kernelLines = text.split(separator: "\n").filter { $0.contains("-cloud-amd64") }
        #expect(kernelLines.count == 2 * 123 && kernelLines.allSatisfy { $0.components(separatedBy: "-cloud-amd64").count == 2 && $0.count <= 160 })
        #expect(text.contains("\n  6.1.0-120-cloud-amd64 "))
        let html = try HistoryDocument([h]).export(as: .html)
        for i in 2...120 { #expect(html.contains("<title>6.1.0-\(i)-cloud-amd64: "), "run \(i) has no tooltip") }
        #expect(html.contains("<title>6.1.0-1-cloud-amd64"), "the first kernel's four runs have no tooltip")
        let trends = try #require(html.range(of: "<h2>Trends")).upperBound
        let chart = String(html[trends...])
        let labels = chart.components(separatedBy: "transform=\"rotate(-90").count - 1
        #expect(labels > 2 * 8 && labels <= 2 * (Int(376 / 24) + 2), "\(labels) axis labels on two charts of 120 points")
        #expect(chart.contains("class=\"band\"") && !chart.contains("class=\"whisker\""))
        #expect(chart.utf8.count / 240 < 160, "\(chart.utf8.count / 240) bytes a point")
        let newest = try #require(History.perMachine(runs, last: 10).first)
        #expect(newest.runs.count == 10 && newest.runs.map(\.kernel).contains("6.1.0-120-cloud-amd64")
                && !newest.runs.map(\.kernel).contains("6.1.0-1-cloud-amd64"))
    }

    @Test func savedRunsGoUnderMachineAndKernel() {
        let r = Synthetic.report(kernel: "6.12.117+deb12-cloud-amd64", startedAt: "2026-11-29T07:02:51Z", [])
        #expect(SavedRuns.path(for: r, under: "results")
                == "results/\(Synthetic.environment.fingerprint.key)/6.12.117+deb12-cloud-amd64/20261129T070251Z.json")
    }

    @Test func htmlReportIsSelfContained() throws {
        let runs = [("a.json", Synthetic.report(kernel: "6.1.0-57-cloud-amd64", [Synthetic.result("syscall/getppid/raw", Synthetic.around(100))])),
                    ("b.json", Synthetic.report(kernel: "6.12.117+deb12-cloud-amd64", [Synthetic.result("syscall/getppid/raw", Synthetic.around(140))]))]
        let html = HTMLReport.page(runs)
        #expect(html.hasPrefix("<!doctype html>") && html.contains("default-src 'none'"))
        for external in ["<script", "src=", "href=", "url(", "@import", "http://", "https://"] {
            #expect(!html.contains(external), "\(external)")
        }
        #expect(html.contains("Across runs") && html.contains("Suite: syscall") && html.contains("Environment"))
    }
}
