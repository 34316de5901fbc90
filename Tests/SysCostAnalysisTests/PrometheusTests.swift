import Foundation
@testable import SysCostAnalysis
@testable import SysCostModel
@testable import SysCostRender
import Testing
import SysCostTestSupport

/// `--format openmetrics`: a run's figures in seconds as Prometheus reads them, every label
/// escaped, a broken run never a pass, and promtool's lint satisfied.
@Suite struct PrometheusTests {
    static let committed = SnapshotTests.root.appendingPathComponent("results/vm/6.18.44-fc-v595/20261130T032608Z.json").path

    /// Samples of `metric`: labels by name, and the value.
    static func samples(_ text: String, _ metric: String) -> [(labels: [String: String], value: Double)] {
        text.split(separator: "\n").compactMap { line in
            guard line.hasPrefix(metric + "{"), let close = line.lastIndex(of: "}") else { return nil }
            let body = line[line.index(line.startIndex, offsetBy: metric.count + 1)..<close]
            var labels: [String: String] = [:]
            var rest = Substring(body)
            while let eq = rest.firstIndex(of: "=") {
                let name = String(rest[..<eq])
                var value = "", i = rest.index(eq, offsetBy: 2)
                while rest[i] != "\"" {
                    if rest[i] == "\\" {
                        i = rest.index(after: i)
                        value.append(rest[i] == "n" ? "\n" : rest[i])
                    } else { value.append(rest[i]) }
                    i = rest.index(after: i)
                }
                labels[name] = value
                rest = rest[rest.index(after: i)...].drop { $0 == "," }
            }
            return (labels, Double(line[line.index(after: close)...].trimmingCharacters(in: .whitespaces)) ?? .nan)
        }
    }

    /// Every result that has an undisturbed cost appears once with it, in seconds, and its
    /// interval's bounds beside it.
    @Test func everyResultsFiguresAreThereInSeconds() throws {
        let report = try ReportLoader.load(Self.committed)
        let text = try report.export(as: .openmetrics)
        let p10 = Self.samples(text, "syscost_op_seconds").filter { $0.labels["estimator"] == "p10" }
        let low = Self.samples(text, "syscost_op_low_seconds").filter { $0.labels["estimator"] == "p10" }
        let expected = report.results.filter { $0.status == .ok && $0.summary?.p10 != nil }
        #expect(p10.count == expected.count && expected.count > 200)
        let mismatched = expected.filter { result in
            guard let s = p10.first(where: { $0.labels["id"] == result.id.description }) else { return true }
            return s.value != result.summary!.p10! * 1e-9 || s.labels["kernel"] != report.environment.kernel.release
                || s.labels["emulated"] != "false"
                || low.first { $0.labels["id"] == result.id.description }?.value != result.summary!.p10CI95Low! * 1e-9
        }
        #expect(mismatched.isEmpty, "\(mismatched.prefix(3).map(\.id))")
        #expect(Self.samples(text, "syscost_run_interrupted").map(\.value) == [0])
        #expect(Self.samples(text, "syscost_run_info").first?.labels["rounds"] == "40")
    }

    /// A hostile kernel release and id stay inside their label values.
    @Test func labelsAreEscaped() throws {
        var report = try ReportLoader.load(Self.committed)
        report.environment.kernel.release = "6.1\"}\nevil_metric 1 \\"
        let first = report.results[0]
        report.results = [UntrustedReportTests.result(BenchmarkID(.init("syscall"), "x\"y", "raw"), first.samples)]
        let text = try report.export(as: .openmetrics)
        #expect(!text.split(separator: "\n").contains { $0.hasPrefix("evil_metric") })
        let s = Self.samples(text, "syscost_op_seconds")
        #expect(s.first?.labels["kernel"] == "6.1\"}\nevil_metric 1 \\" && s.first?.labels["id"] == "syscall/x\"y/raw")
    }

    /// An interrupted run says so, and a gate over it is no pass.
    @Test func aBrokenRunIsNoPass() throws {
        var broken = try ReportLoader.load(Self.committed)
        broken.interrupted = true
        #expect(Self.samples(try broken.export(as: .openmetrics), "syscost_run_interrupted").map(\.value) == [1])
        let base = try ReportLoader.load(Self.committed)
        let gate = try Comparison.compare(base: base, new: broken)
        let text = try gate.export(as: .openmetrics)
        #expect(Self.samples(text, "syscost_gate_pass").map(\.value) == [0])
        #expect(Self.samples(text, "syscost_gate_incomplete").map(\.value) == [1])
        let same = try (try Comparison.compare(base: base, new: base)).export(as: .openmetrics)
        #expect(Self.samples(same, "syscost_gate_pass").map(\.value) == [1])
        #expect(Self.samples(same, "syscost_gate_change_ratio").allSatisfy { $0.value == 1 && $0.labels["verdict"] != nil })
    }

    /// `promtool check metrics` (Prometheus's own lint, installed by scripts/setup.sh) accepts a
    /// run and a gate.
    @Test func promtoolAcceptsARunAndAGate() throws {
        let report = try ReportLoader.load(Self.committed)
        for text in [try report.export(as: .openmetrics), try (try Comparison.compare(base: report, new: report)).export(as: .openmetrics)] {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = ["promtool", "check", "metrics"]
            let input = Pipe(), output = Pipe()
            p.standardInput = input
            p.standardOutput = output
            p.standardError = output
            try p.run()
            input.fileHandleForWriting.write(Data(text.utf8))
            try input.fileHandleForWriting.close()
            let said = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            #expect(p.terminationStatus == 0, "promtool (scripts/setup.sh installs it): \(said)")
        }
    }
}
