import Foundation
@testable import SysCost
@testable import SysCostStatistics
@testable import SysCostModel
@testable import SysCostAnalysis
@testable import SysCostRender
import Testing
import SysCostTestSupport

@Suite struct ReportTests {
    static func smallReport() throws -> RunReport {
        let benchmarks = try Catalog.select(["syscall/getppid/*", "syscall/invalid/raw"])
        return try Runner(plan: RunPlan(repetitions: 3, minBatchTimeMs: 0.5, warmupMs: 0)).run(benchmarks)
    }

    @Test func jsonRoundTrips() throws {
        let report = try Self.smallReport()
        let json = try PrettyJSON.string(report)
        let decoded = try RunReport.decode(Data(json.utf8))
        #expect(decoded == report)
        #expect(decoded.schema == RunReport.schemaVersion && RunReport.schemaVersion == "syscost.run/3")
        let raw = try #require(decoded.results.first { $0.id == "syscall/getppid/raw" })
        #expect(raw.unit == .nsPerOp)
        #expect(raw.samples.count == 3)
        #expect(raw.status == .ok)
        #expect(raw.summary != nil)
    }

    @Test func jsonHasTheDocumentedFields() throws {
        let json = try PrettyJSON.string(try Self.smallReport())
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(Set(object.keys).isSuperset(of: ["schema", "environment", "config", "results"]))
        let result = try #require((object["results"] as? [[String: Any]])?.first)
        for key in ["id", "suite", "category", "unit", "iterationsPerBatch", "overheadNs", "samples", "summary",
                    "warnings", "status"] {
            #expect(result[key] != nil, "result field \(key)")
        }
        let summary = try #require(result["summary"] as? [String: Any])
        // Three repetitions: no 95% interval exists (of the median or the 10th percentile), so none is written.
        #expect(Set(summary.keys) == ["min", "median", "mean", "stddev", "cv", "p5", "p95", "count", "p10"])
        let env = try #require(object["environment"] as? [String: Any])
        for key in ["kernel", "cpu", "cpus", "vulnerabilities", "clocksource", "tsc", "hypervisor", "seccomp", "glibc", "swift", "syscost"] {
            #expect(env[key] != nil, "environment field \(key)")
        }
    }

    @Test func otherSchemasAndBrokenJSONAreRefused() throws {
        let json = try PrettyJSON.string(try Self.smallReport())
        #expect(throws: SysCostError.self) { try RunReport.decode(Data(json.prefix(json.count / 2).utf8)) }
        let other = json.replacingOccurrences(of: RunReport.schemaVersion, with: "syscost.run/9")
        #expect {
            try RunReport.decode(Data(other.utf8))
        } throws: { error in
            "\(error)".contains("'syscost.run/9'")
        }
    }

    @Test func csvAndMarkdownComeFromTheSameModel() throws {
        let report = try Self.smallReport()
        let csv = try (report).export(as: .csv).split(separator: "\n")
        #expect(csv.count == report.results.count + 1)
        #expect(csv[0].hasPrefix("id,suite,category,status,unit,median"))
        let markdown = try (report).export(as: .markdown)
        for r in report.results { #expect(markdown.contains("`\(r.id)`")) }
        #expect(CSVRenderer.quote("a,\"b\"") == "\"a,\"\"b\"\"\"")
    }

    @Test func atomicWriteReplacesWholeOrNothing() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("syscost-test-\(getpid())-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("report.json").path
        try OutputFile.write(Data("first".utf8), to: path)
        try OutputFile.write(Data("second".utf8), to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "second")

        // A rename that fails (the destination is a directory) leaves it as it was and no temporary file.
        let blocked = dir.appendingPathComponent("blocked.json")
        try FileManager.default.createDirectory(at: blocked, withIntermediateDirectories: false)
        #expect(throws: SysCostError.self) { try OutputFile.write(Data("x".utf8), to: blocked.path) }
        var isDir: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: blocked.path, isDirectory: &isDir) && isDir.boolValue)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["blocked.json", "report.json"])
        // A directory that does not exist: an error, nothing written.
        #expect(throws: SysCostError.self) { try OutputFile.write(Data("x".utf8), to: dir.path + "/no/such/file.json") }
    }
}

@Suite struct DistributionTests {
    @Test func perCallDistributionIsRecordedAndRoundTrips() throws {
        var options = RunPlan(repetitions: 2, minBatchTimeMs: 0.5, warmupMs: 0)
        options.distributionCalls = 5000
        let report = try Runner(plan: options).run(try Catalog.select(["syscall/getppid/raw", "vdso/time/vdso"]))
        for r in report.results {
            let d = try #require(r.distribution, "\(r.id) has no distribution")
            #expect(d.calls == 5000)
            #expect(d.buckets.reduce(0) { $0 + $1.count } == 5000)
            #expect(d.p50 <= d.p90 && d.p90 <= d.p99 && d.p99 <= d.p999 && d.p999 <= d.max)
            #expect(d.timerOverheadNs > 0)
            #expect(d.tscStepNs > 0)
        }
        let decoded = try RunReport.decode(Data(try PrettyJSON.string(report).utf8))
        #expect(decoded == report)
        #expect(try (report).export(as: .table).contains("Per-call latency"))
    }

    /// Calls are timed in passes of at most `Distribution.chunk` into one reused buffer:
    /// across pass boundaries every call is recorded once, nothing is kept beyond the buffer,
    /// short passes grow, and a stop request ends the passes.
    @Test func passesCoverEveryCallOnce() throws {
        let calls = 2 * Distribution.chunk + 17
        var seen = 0, passes: [Int] = []
        let done = Distribution.inChunks(calls, stop: .never, { pass in seen += pass.count; passes.append(pass.count) }) { buffer, n in
            for i in 0..<Int(n) { buffer[i] = 1 }
        }
        #expect(done == calls && seen == calls && passes.first == 1024 && passes.max() == Distribution.chunk && passes.count > 3)
        final class Asked: @unchecked Sendable { var n = 0 }
        let asked = Asked()
        let stopped = Distribution.inChunks(calls, stop: StopSource { asked.n += 1; return asked.n > 2 }, { _ in }) { _, _ in }
        #expect(stopped == 1024 + 2048, "two passes, the second doubled")
        var options = RunPlan(repetitions: 2, minBatchTimeMs: 0.5, warmupMs: 0)
        options.distributionCalls = calls
        let report = try Runner(plan: options).run(try Catalog.select(["vdso/time/vdso"]))
        let d = try #require(report.result("vdso/time/vdso")?.distribution)
        #expect(d.calls == calls && d.buckets.reduce(0) { $0 + $1.count } == calls)
    }
}

@Suite struct RoundsTests {
    /// Rounds in a seeded random order until each median is known to the target precision, or
    /// the budget is spent — never fewer than 6 rounds, so an interval always exists.
    @Test func aTimeBudgetStopsByPrecisionOrBudgetAndRecordsTheSeed() throws {
        let benchmarks = try Catalog.select(["syscall/getppid/raw", "syscall/invalid/raw"])
        var plan = RunPlan(minBatchTimeMs: 0.5, warmupMs: 0)
        plan.seed = 42
        plan.timeBudgetSeconds = 0.001   // spent at once: the minimum of rounds still runs
        plan.targetPrecision = 0.000001  // unreachable
        plan.repetitions = 1000
        let report = try Runner(plan: plan).run(benchmarks)
        #expect(report.config.seed == 42 && report.config.timeBudgetSeconds == 0.001)
        for r in report.results {
            #expect(r.samples.count == RunPlan.minimumRounds && r.stoppedBy == .budget && r.status == .ok, "\(r.id): \(r.samples.count)")
            #expect(r.has(.imprecise) && r.summary?.ci95Low != nil)
        }
        // A precision any run reaches: every benchmark stops by it, long before 1000 rounds.
        plan.timeBudgetSeconds = 60
        plan.targetPrecision = 0.5
        let easy = try Runner(plan: plan).run(benchmarks)
        #expect(easy.results.allSatisfy { $0.stoppedBy == .precision && $0.samples.count < 1000 && !$0.has(.imprecise) })
    }

    @Test func theRoundOrderIsShuffledBySeed() {
        var a = SplitMix64(seed: 7), b = SplitMix64(seed: 7), c = SplitMix64(seed: 8)
        let ids = Array(0..<10)
        let first = ids.shuffled(using: &a)
        #expect(first == ids.shuffled(using: &b))   // one seed, one order
        #expect(first != ids.shuffled(using: &c))   // another seed, another
        #expect(first != ids)                        // and it is shuffled at all
    }
}
