import Foundation
@testable import SysCostModel
@testable import SysCostRender
import Testing
import SysCostTestSupport

/// `--format google-benchmark`, read by google/benchmark's own `tools/compare.py`: Debian's
/// libbenchmark-tools ships it (scripts/setup.sh installs it, and numpy and scipy from PyPI),
/// or `SYSCOST_GBENCH_COMPARE` names another copy (a checkout of google/benchmark's tools/).
@Suite struct GoogleBenchmarkTests {
    static let runs = ["20261129T073007Z", "20261129T073046Z"].map {
        SnapshotTests.root.appendingPathComponent("results/vm/6.18.44-fc-v595/\($0).json").path
    }

    static var comparePy: String {
        ProcessInfo.processInfo.environment["SYSCOST_GBENCH_COMPARE"] ?? "/usr/share/benchmark/compare.py"
    }

    /// compare.py's `benchmarks` mode on two files, its report dumped as JSON.
    static func compare(_ base: String, _ new: String) throws -> (status: Int32, output: String, diff: [[String: Any]]) {
        let dir = try TempFolder("gbench").url
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = dir.appendingPathComponent("base.json"), b = dir.appendingPathComponent("new.json")
        let dump = dir.appendingPathComponent("diff.json")
        try base.write(to: a, atomically: true, encoding: .utf8)
        try new.write(to: b, atomically: true, encoding: .utf8)
        let r = try ExternalTool.run(["python3", comparePy, "--no-color", "--dump_to_json", dump.path, "benchmarks", a.path, b.path])
        // Python's json writes NaN where a geometric mean meets a figure ≤ 0 (a cost net of the
        // loop's overhead can be); no name here holds those letters.
        let dumped = (try? String(contentsOf: dump, encoding: .utf8))?.replacingOccurrences(of: "NaN", with: "null") ?? ""
        let diff = (try? JSONSerialization.jsonObject(with: Data(dumped.utf8))) as? [[String: Any]] ?? []
        return (r.status, r.output, diff)
    }

    @Test func comparePyReadsEveryBenchmarkOfTwoRuns() throws {
        #expect(FileManager.default.fileExists(atPath: Self.comparePy),
                "google/benchmark's compare.py is not at \(Self.comparePy): run scripts/setup.sh (Debian's libbenchmark-tools)")
        let base = try ReportLoader.load(Self.runs[0]), new = try ReportLoader.load(Self.runs[1])
        let r = try Self.compare(try base.export(as: .googleBenchmark), try new.export(as: .googleBenchmark))
        #expect(r.status == 0, "\(r.output.suffix(2000))")
        let ok = { (report: RunReport) in Set(report.results.filter { $0.status == .ok && $0.summary != nil }.map(\.id)) }
        let common = ok(base).intersection(ok(new))
        #expect(common.count == 146)
        let rows = Dictionary(r.diff.compactMap { row in (row["name"] as? String).map { ($0, row) } }, uniquingKeysWith: { a, _ in a })
        // Every benchmark both runs measured, its rounds as repetitions and p10 as an aggregate.
        var unread: [String] = []
        for key in common.sorted(by: { $0.description < $1.description }) {
            let a = base.results.byID[key]!, b = new.results.byID[key]!, id = key.description
            guard let row = rows[id], let m = row["measurements"] as? [[String: Any]], let p10 = rows[id + "_p10"],
                  let pm = (p10["measurements"] as? [[String: Any]])?.first else { unread.append(id); continue }
            let pairs = min(a.samples.count, b.samples.count)
            let firstPair = m.first.map { BenchmarkToolJSONTests.same($0["real_time"] as? Double, a.samples[0])
                && BenchmarkToolJSONTests.same($0["real_time_other"] as? Double, b.samples[0]) } ?? false
            let p10Read = BenchmarkToolJSONTests.same(pm["real_time"] as? Double, a.summary!.p10)
                && BenchmarkToolJSONTests.same(pm["real_time_other"] as? Double, b.summary!.p10)
            if m.count != pairs || !firstPair || !p10Read || (row["utest"] as? [String: Any])?["time_pvalue"] == nil { unread.append(id) }
        }
        #expect(unread.isEmpty, "compare.py did not read \(unread.count) of \(common.count): \(unread.prefix(5))")
        // Nothing else: no benchmark only one run has, nothing without a figure.
        let names = Set(rows.keys.map { $0.replacingOccurrences(of: #"_(mean|median|stddev|cv|p10)$"#, with: "", options: .regularExpression) })
        let extra = names.subtracting(common.map(\.description)).subtracting(["OVERALL_GEOMEAN"])
        #expect(extra.isEmpty, "\(extra.prefix(5))")
        #expect(r.output.contains("syscall/getppid/raw_p10"))
    }

    /// A result that failed or was interrupted has no entry, so compare.py compares no partial
    /// figure; the context names it, and says the run was interrupted.
    @Test func aBrokenResultIsNamedNotCompared() throws {
        var report = try ReportLoader.load(PrometheusTests.committed)
        let i = try #require(report.results.firstIndex { $0.id.description == "syscall/getppid/raw" })
        report.results[i].status = .interrupted
        report.interrupted = true
        let text = try report.export(as: .googleBenchmark)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let entries = try #require(object["benchmarks"] as? [[String: Any]])
        #expect(!entries.contains { ($0["run_name"] as? String) == "syscall/getppid/raw" })
        #expect(entries.contains { ($0["run_name"] as? String) == "syscall/getppid/libc" })
        let context = try #require(object["context"] as? [String: Any])
        #expect(context["syscost_interrupted"] as? String == "true")
        #expect((context["syscost_not_measured"] as? String)?.contains("syscall/getppid/raw: interrupted") == true)
        #expect(context["json_schema_version"] as? Int == 1)
        let r = try Self.compare(text, text)
        #expect(r.status == 0, "\(r.output.suffix(2000))")
        #expect(!r.diff.contains { ($0["name"] as? String)?.hasPrefix("syscall/getppid/raw") == true })
        #expect(r.diff.contains { ($0["name"] as? String) == "syscall/getppid/libc" })
    }

    /// The fields google/benchmark's JSON reporter writes, no fewer: each round an iteration,
    /// then the aggregates, for one result; the context's fixed keys.
    @Test func entriesCarryGoogleBenchmarksFields() throws {
        let report = try ReportLoader.load(PrometheusTests.committed)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(try report.export(as: .googleBenchmark).utf8)) as? [String: Any])
        let entries = try #require(object["benchmarks"] as? [[String: Any]]).filter { $0["run_name"] as? String == "syscall/getppid/raw" }
        let result = try #require(report.results.byID["syscall/getppid/raw"])
        let iterations = entries.filter { $0["run_type"] as? String == "iteration" }
        #expect(iterations.map { $0["repetition_index"] as? Int } == Array(0..<result.samples.count))
        #expect(zip(iterations, result.samples).allSatisfy { BenchmarkToolJSONTests.same($0["real_time"] as? Double, $1) })
        #expect(iterations.allSatisfy { $0["iterations"] as? Int == result.iterationsPerBatch })
        let common: Set = ["name", "family_index", "per_family_instance_index", "run_name", "run_type", "repetitions", "threads",
                           "iterations", "real_time", "cpu_time", "time_unit", "label"]
        #expect(iterations.allSatisfy { Set($0.keys) == common.union(["repetition_index"]) })
        let aggregates = entries.filter { $0["run_type"] as? String == "aggregate" }
        #expect(aggregates.map { $0["aggregate_name"] as? String } == ["mean", "median", "stddev", "cv", "p10"])
        #expect(aggregates.allSatisfy { Set($0.keys) == common.union(["aggregate_name", "aggregate_unit"]) })
        #expect(BenchmarkToolJSONTests.same(aggregates.first { $0["aggregate_name"] as? String == "p10" }?["real_time"] as? Double, result.summary?.p10))
        #expect(aggregates.first { $0["aggregate_name"] as? String == "cv" }?["aggregate_unit"] as? String == "percentage")
        let context = try #require(object["context"] as? [String: Any])
        let fixed: Set = ["date", "host_name", "executable", "num_cpus", "mhz_per_cpu", "caches", "load_avg", "library_version",
                          "library_build_type", "json_schema_version"]
        #expect(fixed.isSubset(of: Set(context.keys)))
        #expect(context["syscost_kernel"] as? String == report.environment.kernel.release)
    }
}
