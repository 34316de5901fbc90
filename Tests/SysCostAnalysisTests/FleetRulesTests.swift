import Foundation
import Testing
import SysCostTestSupport

/// contrib/prometheus's alerting rules under `promtool test rules`: they pass as committed, and
/// each threshold edited either way fails them (the test's figures sit on both sides of each).
@Suite struct FleetRulesTests {
    static let contrib = SnapshotTests.root.appendingPathComponent("contrib/prometheus")

    /// `promtool args…` in `dir`: its status and what it printed.
    static func promtool(_ args: [String], in dir: URL) throws -> (status: Int32, output: String) {
        try ExternalTool.run(["promtool"] + args, in: dir)
    }

    @Test func theRulesLintAndPassTheirTests() throws {
        let lint = try Self.promtool(["check", "rules", "syscost.rules.yml"], in: Self.contrib)
        #expect(lint.status == 0 && lint.output.contains("SUCCESS: 3 rules found"), "\(lint.output)")
        let r = try Self.promtool(["test", "rules", "syscost.rules.test.yml"], in: Self.contrib)
        #expect(r.status == 0 && r.output.contains("SUCCESS"), "\(r.output)")
    }

    @Test(arguments: [
        ("> 1.10", "> 1.13", "SyscostNullSyscallRegressed"), ("> 1.10", "> 1.05", "SyscostNullSyscallRegressed"),
        ("> 1.15", "> 1.20", "SyscostProcessSwitchRegressed"), ("> 1.15", "> 1.10", "SyscostProcessSwitchRegressed"),
        ("36 * 3600", "48 * 3600", "SyscostWatchStopped"), ("for: 1h", "for: 10m", "SyscostWatchStopped"),
    ])
    func anEditedThresholdFailsTheTests(from: String, to: String, alert: String) throws {
        let dir = try TempFolder("rules").url
        defer { try? FileManager.default.removeItem(at: dir) }
        let rules = try String(contentsOf: Self.contrib.appendingPathComponent("syscost.rules.yml"), encoding: .utf8)
        #expect(rules.components(separatedBy: from).count == 2, "'\(from)' is not in the rules once")
        try rules.replacingOccurrences(of: from, with: to).write(to: dir.appendingPathComponent("syscost.rules.yml"), atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(at: Self.contrib.appendingPathComponent("syscost.rules.test.yml"),
                                         to: dir.appendingPathComponent("syscost.rules.test.yml"))
        let r = try Self.promtool(["test", "rules", "syscost.rules.test.yml"], in: dir)
        #expect(r.status != 0 && r.output.contains("FAILED") && r.output.contains("alertname: \(alert)"), "\(r.output)")
    }
}
