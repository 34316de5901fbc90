import Foundation
import SysCostModel

/// A run as the continuous-benchmarking tools' own JSON, one figure per result: the
/// undisturbed cost (p10 of the rounds) in nanoseconds, with its 95% interval where it has one.
/// Results that failed, were skipped or have no figure are left out (a run's JSON keeps them).
/// - `bmf`: Bencher Metric Format, `{id: {"latency": {value, lower_value, upper_value}}}`
///   (Bencher's built-in latency measure is in nanoseconds); a run under an instruction clock
///   gives its guest instructions as the measure `instructions` instead, never as latency.
/// - `github-action-benchmark`: the `customSmallerIsBetter` array of `{name, unit, value,
///   range, extra}`.
public enum BenchmarkToolJSON {
    struct Figure {
        var id: String
        var unit: String
        var value: Double
        var low: Double?
        var high: Double?
        var extra: String
    }

    static func figures(_ report: RunReport) -> [Figure] {
        report.results.compactMap { r in
            guard r.status == .ok, let s = r.summary, let p10 = s.p10, p10.isFinite else { return nil }
            let median = "median \(Format.ns(s.median)) \(r.unit.counted.word)" + (s.ci95Low.map { lo in " (\(Format.ns(lo))…\(Format.ns(s.ci95High)))" } ?? "")
            return Figure(id: r.id.description, unit: r.unit.rawValue, value: p10, low: s.p10CI95Low, high: s.p10CI95High,
                          extra: "undisturbed cost (p10 of \(r.samples.count) rounds); \(median); kernel \(report.environment.kernel.release)"
                              + (report.environment.instructionClock.map { "; guest instructions under \($0.machineName), not time" } ?? ""))
        }
    }

    public static func bmf(_ report: RunReport) throws -> String {
        var object: [String: [String: [String: Double]]] = [:]
        let measure = report.environment.counted == .guestInstructions ? "instructions" : "latency"
        for f in figures(report) {
            var metric = ["value": f.value]
            if let low = f.low, let high = f.high, low.isFinite, high.isFinite { metric["lower_value"] = low; metric["upper_value"] = high }
            object[f.id] = [measure: metric]
        }
        return try encode(object)
    }

    struct ActionEntry: Encodable {
        var name: String
        var unit: String
        var value: Double
        var range: String?
        var extra: String
    }

    public static func githubActionBenchmark(_ report: RunReport) throws -> String {
        try encode(figures(report).map { f in
            let range = f.low.flatMap { lo in f.high.map { hi in "± " + Format.ns((hi - lo) / 2) } }
            return ActionEntry(name: f.id, unit: f.unit, value: f.value, range: range, extra: f.extra)
        })
    }

    /// Pretty, with sorted keys; a non-finite number throws (JSON has none).
    static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    }
}
