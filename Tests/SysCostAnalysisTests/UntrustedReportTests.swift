import Foundation
@testable import SysCostAnalysis
@testable import SysCostStatistics
@testable import SysCostModel
@testable import SysCostRender
import Testing
import SysCostTestSupport

/// Reports from elsewhere are untrusted: each case an earlier version crashed, stalled or
/// misreported on, refused with a message naming the cause or shown safely. No C linked.
@Suite struct UntrustedReportTests {
    static let committed = SnapshotTests.root.appendingPathComponent("results/vm/6.18.44-fc-v595/20261129T073125Z.json").path

    static func json(_ report: RunReport) throws -> Data { Data(try PrettyJSON.string(report).utf8) }

    /// The committed report's JSON as an object, to edit.
    static func object() throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: committed))) as! [String: Any]
    }

    static func decodeError(_ data: Data) -> String? {
        do { _ = try RunReport.decode(data); return nil } catch { return "\(error)" }
    }

    static func result(_ id: BenchmarkID, _ samples: [Double], status: ResultStatus = .ok) -> BenchmarkResult {
        BenchmarkResult(id: id, category: .processControl, description: "\(id)", syscallsPerOp: 1, iterationsPerBatch: 1000,
                        overheadNs: 0.3, samples: samples, summary: status == .ok ? Summary(samples: samples) : nil,
                        tscCyclesPerOp: nil, warnings: [], status: status)
    }

    static func report(_ results: [BenchmarkResult], kernel: String = "6.1.0-1-cloud-amd64", startedAt: String = "2026-11-29T07:00:00Z") throws -> RunReport {
        var r = try ReportLoader.load(committed)
        r.results = results
        r.environment.kernel.release = kernel
        r.config.startedAt = startedAt
        r.canary = nil
        return r
    }

    // MARK: the document

    @Test func syntaxProblemsAreNamedWithTheirPlace() throws {
        let cases: [(String, String)] = [
            (#"{"schema": NaN}"#, "line 1, column 12: 'N': NaN and Infinity are not JSON numbers"),
            (#"{"schema": "syscost.run/2", "x": [1, 2"#, "the document ends inside an array (a truncated file?)"),
            (#"{"a": 1e999}"#, "the number 1e999 is out of a double's range"),
            (#"{"a": -5e-400}"#, "out of a double's range"),
            ("{\"a\": \"tab\there\"}", "a raw control character"),
            (String(repeating: "[", count: 100_000), "nested deeper than 32 levels"),
            ("{\"a\": \"" + String(repeating: "x", count: 20_000) + "\"}", "a string longer than 16384 bytes"),
            (#"{"a": 1} {"#, "more after the end of the document"),
            ("", "the document ends where a value should be"),
        ]
        for (text, message) in cases {
            let error = Self.decodeError(Data(text.utf8))
            #expect(error?.contains(message) == true, "\(text.prefix(40)): \(error ?? "accepted")")
        }
        // Valid documents pass the scan: every committed report.
        try JSONShape.check(Data(contentsOf: URL(fileURLWithPath: Self.committed)))
        try JSONShape.check(Data(#"{"a": [0e5, -0.0, 1E+3, 12345678901234567890123, "\u001b\"\\"], "b": {}, "c": []}"#.utf8))
    }

    @Test func aHugeCPURangeIsRefusedNotExpanded() throws {
        var o = try Self.object()
        var env = o["environment"] as! [String: Any]
        var cpus = env["cpus"] as! [String: Any]
        cpus["online"] = "0-3000000000"
        env["cpus"] = cpus
        o["environment"] = env
        let started = Date()
        let error = Self.decodeError(try JSONSerialization.data(withJSONObject: o))
        #expect(error?.contains("environment.cpus.online: '0-3000000000' is not a CPU list") == true, "\(error ?? "accepted")")
        #expect(Date().timeIntervalSince(started) < 5)
        #expect(CPUList.count("0-3,2-5,9") == 7 && CPUList.count("0-65535") == 65_536 && CPUList.count("0-65536") == nil)
        #expect(CPUList.ranges("") == [] && CPUList.ranges("3-1") == nil && CPUList.ranges("1,,2") == nil && CPUList.members("4,0-1") == [0, 1, 4])
    }

    @Test func aDuplicatedIDIsRefusedNamingIt() throws {
        let r = try Self.report([Self.result("syscall/a/raw", [100, 101, 102]), Self.result("syscall/a/raw", [300, 301, 302])])
        let error = Self.decodeError(try Self.json(r))
        #expect(error?.contains("benchmark id 'syscall/a/raw' appears twice (results[0] and results[1])") == true, "\(error ?? "accepted")")
    }

    @Test func quantitiesPastTheirBoundsAreRefusedNamingTheField() throws {
        var huge = Self.result("syscall/a/raw", [100])
        huge.samples = [Double](repeating: 100, count: ReportLimits.samplesPerResult + 1)
        var far = Self.result("syscall/b/raw", [100])
        far.samples = [1e300]
        var negative = Self.result("syscall/c/raw", [100])
        negative.iterationsPerBatch = -1
        var warned = Self.result("syscall/d/raw", [100])
        warned.warnings = Array(repeating: Warning(.noisy, "x"), count: ReportLimits.entries + 1)
        for (r, field) in [(huge, "results[0] (syscall/a/raw).samples: 1000001 entries"), (far, "results[0] (syscall/b/raw).samples: 1e+300 is out of range"),
                           (negative, "iterationsPerBatch: -1 is negative"), (warned, "warnings: 1025 entries")] {
            let error = Self.decodeError(try Self.json(try Self.report([r])))
            #expect(error?.contains(field) == true, "\(field): \(error ?? "accepted")")
        }
        var asked = try Self.report([])
        asked.config.counters = Array(repeating: "cycles", count: ReportLimits.counters + 1)
        #expect(Self.decodeError(try Self.json(asked))?.contains("config.counters: 129 entries") == true)
        var big = try Self.report([])
        big.config.cpu = 70_000
        #expect(Self.decodeError(try Self.json(big))?.contains("config.cpu: 70000 is not a CPU number") == true)
    }

    /// An integer field holding what no integer is names the field and the problem, not
    /// "The given data was not valid JSON" (issue 28, class 9).
    @Test func aFractionalOrHugeIntegerNamesItsField() throws {
        let good = try Self.json(try Self.report([Self.result("syscall/a/raw", [100, 101, 102])]))
        func with(_ edit: (inout [String: Any]) -> Void) throws -> Data {
            var object = try #require(try JSONSerialization.jsonObject(with: good) as? [String: Any])
            edit(&object)
            return try JSONSerialization.data(withJSONObject: object)
        }
        func result(_ o: inout [String: Any], _ key: String, _ value: Any) {
            var results = o["results"] as! [[String: Any]]
            results[0][key] = value
            o["results"] = results
        }
        let cases: [(Data, String)] = [
            (try with { result(&$0, "iterationsPerBatch", 1.5) }, "results[0].iterationsPerBatch: 1.5 is not a whole number"),
            (try with { result(&$0, "iterationsPerBatch", 1e300) }, "results[0].iterationsPerBatch: 1e+300 is beyond any 64-bit number"),
            (try with { var c = $0["config"] as! [String: Any]; c["seed"] = -1; $0["config"] = c }, "config.seed: -1 is negative"),
        ]
        for (json, expected) in cases {
            let error = Self.decodeError(json) ?? "decoded"
            #expect(error.contains(expected) && !error.contains("not valid JSON"), "\(error)")
        }
    }

    /// Every report, base or new or baseline, is held to the same count check: a summary
    /// that counts other rounds than its result has is refused, naming the field.
    @Test func aSummaryOfOtherRoundsIsRefused() throws {
        var report = try Self.report([Self.result("syscall/a/raw", [100, 101, 102])])
        report.results[0].summary?.count = 4
        let error = Self.decodeError(try Self.json(report)) ?? "decoded"
        #expect(error.contains("results[0] (syscall/a/raw).summary.count: 4, but the result has 3 rounds"), "\(error)")
    }

    // MARK: statistics at every size a report may hold (the laws themselves: SysCostStatisticsTests)



    /// One result of many rounds a side compares, reports and tabulates; the work grows about
    /// linearly (checked as the law's size, not as a time).
    @Test func manyRoundsCompareAndRender() throws {
        var rng = SplitMix64(seed: 42)
        let n = 100_000
        let base = (0..<n).map { _ in 100 + Double(rng.next() % 1000) / 100 }, new = base.map { $0 * 1.2 }
        let a = try Self.report([Self.result("syscall/a/raw", base)]), b = try Self.report([Self.result("syscall/a/raw", new)])
        let spread = BetweenRunSpread(schema: BetweenRunSpread.schemaID, machine: a.environment.fingerprint.key, kernels: [],
                                      estimator: .undisturbed, runs: 10, firstRun: "", lastRun: "", learnedAt: "",
                                      entries: [.init(id: "syscall/a/raw", logSD: 0.01, withinLogVariance: 0, runs: 10, degreesOfFreedom: 9)])
        let c = try Comparison.compare(base: try RunReport.decode(try Self.json(a)), new: try RunReport.decode(try Self.json(b)), spread: spread)
        #expect(c.rows.first?.verdict == .regression && c.incomplete.isEmpty)
        for format in OutputFormat.allCases { _ = try (b).export(as: format) }
        let several = try Comparison.compare(Comparison.Side("A", [a, a]), Comparison.Side("B", [b, b]))
        #expect(several.rows.first?.verdict == .regression)
    }

    /// Rounds that span every order of magnitude a report allows: the interval and the MDE
    /// overflow, and the comparison still writes as JSON (it once could not: "inf" in `mde`).
    @Test func figuresBeyondAnyNumberStillExport() throws {
        let wild: [Double] = (0..<40).map { (i: Int) -> Double in
            let tiny: Double = 1e-300 * Double(i + 1)
            return i % 10 == 0 ? tiny : 1e12 - Double(i)
        }
        let a = try Self.report([Self.result("syscall/a/raw", wild), Self.result("syscall/b/raw", [1e-300, 2e-300, 3e-300])])
        let b = try Self.report([Self.result("syscall/a/raw", wild.reversed()), Self.result("syscall/b/raw", [1e11, 1e11, 1e11])])
        let c = try Comparison.compare(base: a, new: b)
        for format in Comparison.formats { _ = try c.export(as: format) }
        #expect(c.rows.allSatisfy { $0.ratio.isFinite && ($0.mde?.isFinite ?? true) && ($0.ratioCI95High?.isFinite ?? true) })
        #expect(c.notCompared["syscall/b/raw"] != nil)
        _ = try HistoryDocument(History.perMachine([("a.json", a), ("b.json", b)])).export(as: .json)
    }

    // MARK: what a report's strings may do to a terminal, a table, a page

    static func hostile() throws -> RunReport {
        var r = try Self.report([Self.result("syscall/a\u{1B}]0;pwned\u{07}\u{1B}[2J`|<img src=x>\n|x/raw", [100, 101, 102]),
                                 Self.result("syscall/ワイド幅/raw", [200, 201, 202])])
        r.results[0].description = "evil \u{1B}[31mred\u{9B}1m \u{202E}desrever"
        r.results[0].warnings = [Warning(.other, "<script>alert(1)</script> | `x` [link](javascript:x)")]
        r.environment.cpu.modelName = "CPU\u{1B}[H\u{1B}[2J <script>alert(1)</script> | `x` [link](javascript:x)"
        return r
    }

    @Test func textAndCSVShowControlCharactersEscaped() throws {
        let r = try Self.hostile()
        for format in [OutputFormat.table, .csv, .markdown] {
            let out = try (r).export(as: format)
            #expect(!out.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x9B || $0.value == 0x202E }, "\(format)")
            #expect(out.contains(format == .markdown ? "\\\\e\\]0;pwned\\\\x07" : "\\e]0;pwned\\x07"), "\(format)")
        }
        let c = try Comparison.compare(base: r, new: r)
        for format in Comparison.formats where format != .json {
            let out = try c.export(as: format)
            #expect(!out.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 }, "\(format)")
        }
        let h = History.perMachine([("a.json", r), ("b.json", r)])
        for format in HistoryDocument.formats where format != .json {
            let out = try HistoryDocument(h).export(as: format, ExportOptions(width: 40))
            #expect(!out.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 }, "\(format)")
        }
    }

    @Test func markdownEscapesHTMLAndTableSyntax() throws {
        let out = try (try Self.hostile()).export(as: .markdown)
        #expect(!out.contains("<img") && !out.contains("<script>"))
        #expect(out.contains("&lt;script&gt;") && out.contains("\\[link\\]"))
        // Every table row keeps its columns: no unescaped pipe or line break leaks from an id.
        let table = out.split(separator: "\n").prefix { $0.hasPrefix("|") }
        let columns = table.map { line in
            var n = 0, escaped = false
            for c in line { if c == "\\" && !escaped { escaped = true; continue }; if c == "|" && !escaped { n += 1 }; escaped = false }
            return n
        }
        #expect(Set(columns).count == 1, "\(table.joined(separator: "\n"))")
        #expect(MarkdownRenderer.code("syscall/getppid/raw") == "`syscall/getppid/raw`")
        #expect(MarkdownRenderer.code("a`b|c") == "a\\`b\\|c")
    }

    @Test func widthsStayRightWithWideCharacters() {
        #expect(Escape.width("ワイド") == 6 && Escape.width("e\u{301}") == 1 && Escape.width("ab") == 2)
        let text = TextRenderer.align([["id", "ns"], ["ワイド", "1"], ["abcdefgh", "2"]], rightAligned: [1])
        let ends = text.split(separator: "\n").map { Escape.width(String($0)) }
        #expect(Set(ends).count == 1, "\(text)")
        #expect(TextRenderer.align([], rightAligned: []) == "")
    }

    // MARK: tables that had nothing to show

    /// A benchmark skipped in every run (a CPU without RDTSCP), in a table wider than the
    /// terminal: it crashed reading the first row of no rows.
    @Test func aBenchmarkSkippedEverywhereInANarrowTable() throws {
        let runs = try (0..<8).map { i -> (String, RunReport) in
            var skipped = Self.result("timer/rdtscp", [], status: .skipped)
            skipped.error = "no RDTSCP"
            return ("\(i).json", try Self.report([Self.result("syscall/a/raw", [100, 101, 102 + Double(i)]), skipped],
                                                 kernel: "6.1.0-\(i + 1)-cloud-amd64", startedAt: "2026-11-29T07:0\(i):00Z"))
        }
        let text = try HistoryDocument(History.perMachine(runs)).export(as: .table, ExportOptions(width: 40))
        #expect(text.contains("timer/rdtscp") && text.contains("no figure in any run"), "\(text)")
    }
}
