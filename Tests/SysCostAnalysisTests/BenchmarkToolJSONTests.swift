import Foundation
@testable import SysCostModel
@testable import SysCostRender
import Testing
import SysCostTestSupport

/// `--format bmf` and `--format github-action-benchmark`: each validates against the format's
/// documented schema (Tests/Fixtures), and carries every result's undisturbed cost and interval.
@Suite struct BenchmarkToolJSONTests {
    /// `text` against Tests/Fixtures/`schema`, by the schema tests' validator.
    static func validate(_ text: String, schema: String) throws -> (status: Int32, output: String) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("syscost-tool-\(UUID()).json")
        try text.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        return try SchemaTests.validate([file.path], schema: SnapshotTests.root.appendingPathComponent("Tests/Fixtures/\(schema)").path)
    }

    /// Equal to a part in 10¹² (JSON text round-trips a double to its last bit or so).
    static func same(_ a: Double?, _ b: Double?) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        return abs(a - b) <= 1e-12 * abs(b)
    }

    @Test func bmfValidatesAndCarriesEveryFigure() throws {
        let report = try ReportLoader.load(PrometheusTests.committed)
        let text = try report.export(as: .bmf)
        let r = try Self.validate(text, schema: "bmf.schema.json")
        #expect(r.status == 0, "\(r.output)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: [String: [String: Double]]])
        let expected = report.results.filter { $0.status == .ok && $0.summary?.p10 != nil }
        #expect(object.count == expected.count)
        let mismatched = expected.filter { result in
            let latency = object[result.id.description]?["latency"]
            return !(Self.same(latency?["value"], result.summary!.p10) && Self.same(latency?["lower_value"], result.summary!.p10CI95Low)
                     && Self.same(latency?["upper_value"], result.summary!.p10CI95High))
        }
        #expect(mismatched.isEmpty, "\(mismatched.prefix(3).map(\.id))")
        // The schema is no rubber stamp: a measure without a value fails it.
        #expect(try Self.validate(#"{"a": {"latency": {"lower_value": 1}}}"#, schema: "bmf.schema.json").status == 1)
    }

    @Test func githubActionBenchmarkValidatesAndCarriesEveryFigure() throws {
        let report = try ReportLoader.load(PrometheusTests.committed)
        let text = try report.export(as: .githubActionBenchmark)
        let r = try Self.validate(text, schema: "github-action-benchmark.schema.json")
        #expect(r.status == 0, "\(r.output)")
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
        let expected = report.results.filter { $0.status == .ok && $0.summary?.p10 != nil }
        #expect(entries.count == expected.count)
        let getppid = try #require(entries.first { $0["name"] as? String == "syscall/getppid/raw" })
        let summary = try #require(report.results.byID["syscall/getppid/raw"]?.summary)
        #expect(Self.same(getppid["value"] as? Double, summary.p10) && getppid["unit"] as? String == "ns/op")
        #expect((getppid["range"] as? String)?.hasPrefix("± ") == true)
        #expect(try Self.validate(#"[{"name": "x", "value": "1"}]"#, schema: "github-action-benchmark.schema.json").status == 1)
    }
}
