import Foundation
import SysCostAnalysis
import SysCostModel
import SysCostRender
import Testing

/// Every committed report under results/, rendered in every format, against the snapshot
/// committed beside this file. A change in what a person reads shows as a diff here; after
/// checking it, `SYSCOST_UPDATE_SNAPSHOTS=1 swift test --filter Snapshot` writes them anew.
/// This target links no C and no libpfm4: reading and rendering saved runs needs neither.
@Suite struct SnapshotTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
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
        for format in OutputFormat.allCases {
            let rendered = try RunRenderer.render(report, as: format)
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

    /// A `/1` report read and written again as `/2` keeps every figure.
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
