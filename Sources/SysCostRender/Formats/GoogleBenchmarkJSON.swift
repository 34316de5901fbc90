import Foundation
import SysCostModel

/// A run as google/benchmark's JSON (`--benchmark_format=json`, schema version 1), which its
/// `tools/compare.py` and the tools built on that format read (`--format google-benchmark`).
/// - Each round of a result is a repetition (`run_type: iteration`): its time per op, with the
///   round's batch size as `iterations`. syscost times wall-clock (TSC) only, so `cpu_time`
///   carries the same figure as `real_time`.
/// - Then the result's aggregates (`run_type: aggregate`), as google/benchmark names them:
///   mean, median, stddev and cv (a fraction, unit "percentage"), and p10, syscost's
///   undisturbed cost, as a statistic of its own.
/// - A result that failed, was skipped or was cut short by an interruption has no entry, so no
///   tool compares a figure that was never (or only partly) measured: compare.py reads every
///   entry's times, and google/benchmark's own error entries carry times of 0.
///   `context.syscost_not_measured` names each, with its status and reason.
/// - `label` is syscost's unit ("ns/op" or "ns/switch"); `context` carries the kernel, the
///   machine key, the seed, and whether the run was interrupted.
/// - A run under an instruction clock is refused: the format's times have time units only.
///
/// It is the one format whose size grows with every round (about 400 bytes a round: 1.6 GB
/// for the readers' largest report), so it is written entry by entry to a `TextSink`, one
/// entry a line, and never held whole: memory stays that of the report.
public enum GoogleBenchmarkJSON {
    public static func render(_ report: RunReport) throws -> String {
        let sink = TextSink()
        try write(report, to: sink)
        return sink.text
    }

    public static func write(_ report: RunReport, to sink: TextSink) throws {
        // Its times have a time unit and nothing else (time_unit ns, us, ms or s), and every
        // tool that reads it reads them as time: guest instructions have no place in it.
        if let clock = report.environment.instructionClock {
            throw SysCostError.usage("google/benchmark's JSON has only time units, and this run counted guest instructions (\(clock.machineName)): "
                + "use json, csv, markdown, bmf (measure 'instructions') or github-action-benchmark (unit insn/op)")
        }
        let context = String(decoding: try encoder.encode(Context(report)), as: UTF8.self)
        try sink.write("{\n  \"context\": " + context.replacingOccurrences(of: "\n", with: "\n  ") + ",\n  \"benchmarks\": [")
        var first = true
        for (family, result) in report.results.enumerated() {
            try Entry.write(result, family: family, to: sink, first: &first)
        }
        try sink.write("\n  ]\n}\n")
        try sink.flush()
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// A JSON string literal, escaped.
    static func quoted(_ s: String) throws -> String {
        String(decoding: try encoder.encode(s), as: UTF8.self)
    }

    /// google/benchmark's context: its fixed keys, then syscost's own as string pairs (the
    /// library's "global context", which it writes the same way).
    struct Context: Encodable {
        var fixed: [String: FixedValue]
        var extra: [String: String]

        enum FixedValue: Encodable {
            case string(String), int(Int), bool(Bool), empty
            func encode(to encoder: Encoder) throws {
                var c = encoder.singleValueContainer()
                switch self {
                case .string(let s): try c.encode(s)
                case .int(let i): try c.encode(i)
                case .bool(let b): try c.encode(b)
                case .empty: try c.encode([Int]())
                }
            }
        }

        init(_ report: RunReport) {
            let env = report.environment
            fixed = [
                "date": .string(report.config.startedAt), "host_name": .string(env.hostname), "executable": .string("syscost"),
                "num_cpus": .int(CPUList.count(env.cpus.online) ?? 0), "mhz_per_cpu": .int(Int(((env.tsc.frequencyHz ?? 0) / 1e6).rounded())),
                "caches": .empty, "load_avg": .empty, "library_version": .string(env.syscost.version),
                "library_build_type": .string("release"), "json_schema_version": .int(1),
            ]
            if let governor = env.cpufreq.governor { fixed["cpu_scaling_enabled"] = .bool(governor != "performance") }
            let notMeasured = report.results.filter { Entry.measured($0) == nil }
                .map { "\($0.id): \($0.status.rawValue)" + ($0.error.map { " (\($0))" } ?? "") }
            extra = [
                "syscost_not_measured": notMeasured.joined(separator: "; "),
                "syscost_kernel": env.kernel.release, "syscost_machine": env.fingerprint.key.rawValue,
                "syscost_cpu": String(report.config.cpu), "syscost_rounds": String(report.config.repetitions),
                "syscost_seed": report.config.seed.map(String.init) ?? "", "syscost_interrupted": report.interrupted ? "true" : "false",
                "syscost_estimator": "p10: the undisturbed cost; each repetition is one round",
            ]
        }

        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(_ s: String) { stringValue = s }
            init?(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: Key.self)
            for (k, v) in fixed { try c.encode(v, forKey: Key(k)) }
            for (k, v) in extra where fixed[k] == nil { try c.encode(v, forKey: Key(k)) }
        }
    }

    /// One benchmark entry, written as one line of JSON.
    struct Entry {
        /// The result's summary, when it was measured in full.
        static func measured(_ r: BenchmarkResult) -> Summary? {
            guard r.status == .ok, let s = r.summary, !r.samples.isEmpty, r.samples.allSatisfy(\.isFinite) else { return nil }
            return s
        }

        /// Every round of `r` as a repetition, then its aggregates; nothing when it was not
        /// measured in full.
        static func write(_ r: BenchmarkResult, family: Int, to sink: TextSink, first: inout Bool) throws {
            guard let s = measured(r) else { return }
            let id = r.id.description, name = try quoted(id), label = try quoted(r.unit.rawValue)
            let shared = "\"family_index\": \(family), \"per_family_instance_index\": 0, \"repetitions\": \(r.samples.count), "
                + "\"threads\": 1, \"time_unit\": \"ns\", \"label\": \(label), \"run_name\": \(name)"
            func entry(_ fields: String) throws {
                try sink.write((first ? "\n    {" : ",\n    {") + fields + ", " + shared + "}")
                first = false
            }
            for (k, ns) in r.samples.enumerated() {
                try entry("\"name\": \(name), \"run_type\": \"iteration\", \"repetition_index\": \(k), "
                          + "\"iterations\": \(r.iterationsPerBatch), \"real_time\": \(ns), \"cpu_time\": \(ns)")
            }
            var aggregates: [(String, Double, String)] = [("mean", s.mean, "time"), ("median", s.median, "time"),
                                                          ("stddev", s.stddev, "time"), ("cv", s.cv, "percentage")]
            if let p10 = s.p10 { aggregates.append(("p10", p10, "time")) }
            for (aggregate, value, unit) in aggregates where value.isFinite {
                try entry("\"name\": \(try quoted(id + "_" + aggregate)), \"run_type\": \"aggregate\", "
                          + "\"aggregate_name\": \"\(aggregate)\", \"aggregate_unit\": \"\(unit)\", "
                          + "\"iterations\": \(r.samples.count), \"real_time\": \(value), \"cpu_time\": \(value)")
            }
        }
    }
}
