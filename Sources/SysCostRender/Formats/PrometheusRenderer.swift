import Foundation
import SysCostAnalysis
import SysCostModel

/// A run in the Prometheus text exposition format, which node_exporter's textfile collector
/// reads and `promtool check metrics` lints (`--format openmetrics`): per result, the
/// undisturbed cost (p10) and the median in seconds, each with its 95% interval's bounds as
/// gauges of their own; an info gauge for the run; whether the run was interrupted. Every label
/// value is escaped as the format asks (backslash, double quote, newline), so no string of a
/// report can end a line or a label early. A run under an instruction clock gives
/// `syscost_op_instructions` (guest instructions, never seconds) in their place.
public enum PrometheusRenderer {
    public static func render(_ report: RunReport) -> String {
        let env = report.environment
        let host: [(String, String)] = [("machine", env.fingerprint.key.rawValue), ("kernel", env.kernel.release),
                                        ("emulated", env.emulated == true ? "true" : "false")]
        var lines: [String] = []
        func family(_ name: String, _ help: String, _ samples: [(labels: [(String, String)], value: Double)]) {
            guard !samples.isEmpty else { return }
            lines.append("# HELP \(name) \(help)")
            lines.append("# TYPE \(name) gauge")
            for s in samples { lines.append("\(name){\(labels(s.labels + host))} \(number(s.value))") }
        }
        // Seconds are Prometheus's unit of time; guest instructions are a count, as they are.
        let counts = env.counted == .guestInstructions
        let scale = counts ? 1 : 1e-9, metric = counts ? "syscost_op_instructions" : "syscost_op_seconds"
        let quantity = counts ? "How many guest instructions one operation (or one context switch, where per is switch) takes under qemu icount" : "What one operation (or one context switch, where per is switch) costs"
        var cost: [([(String, String)], Double)] = [], low: [([(String, String)], Double)] = [], high: [([(String, String)], Double)] = []
        for result in report.results where result.status == .ok {
            guard let s = result.summary else { continue }
            let id: [(String, String)] = [("id", result.id.description), ("suite", result.suite.rawValue), ("name", result.id.name),
                                          ("variant", result.id.variant), ("per", result.unit.per)]
            for (estimator, value, lo, hi) in [("p10", s.p10, s.p10CI95Low, s.p10CI95High), ("median", s.median, s.ci95Low, s.ci95High)] {
                guard let value else { continue }
                let labels = id + [("estimator", estimator)]
                cost.append((labels, value * scale))
                if let lo, let hi { low.append((labels, lo * scale)); high.append((labels, hi * scale)) }
            }
        }
        let bound = { (side: String) in counts ? "syscost_op_\(side)_instructions" : "syscost_op_\(side)_seconds" }
        family(metric, "\(quantity): the undisturbed cost (estimator p10) or the median of the run's rounds.", cost)
        family(bound("low"), "The lower bound of \(metric)' 95% interval.", low)
        family(bound("high"), "The upper bound of \(metric)' 95% interval.", high)
        let c = report.config
        family("syscost_run_info", "The run: its seed, rounds, CPU and syscost version (always 1).",
               [([("seed", c.seed.map(String.init) ?? ""), ("rounds", String(c.repetitions)), ("cpu", String(c.cpu)),
                  ("version", env.syscost.version)], 1)])
        family("syscost_run_interrupted", "1 when the run was interrupted: its figures are partial.", [([], report.interrupted ? 1 : 0)])
        if let started = ISO8601DateFormatter().date(from: c.startedAt) {
            family("syscost_run_start_time_seconds", "When the run started, in seconds since the epoch.", [([], started.timeIntervalSince1970)])
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A gate's rows (`baseline check --format openmetrics`): per benchmark the change as a
    /// ratio (new over base), its MDE, with the verdict and both kernel releases as labels;
    /// whether the kernel changed since the baseline; and whether the gate passed
    /// (0 when a run was broken, partial or interrupted: a watch must not read that as a pass).
    public static func render(_ comparison: Comparison, regressions: Bool) -> String {
        var lines: [String] = []
        let machine: (String, String) = ("machine", comparison.newMachine.rawValue)
        func family(_ name: String, _ help: String, _ samples: [([(String, String)], Double)]) {
            guard !samples.isEmpty else { return }
            lines += ["# HELP \(name) \(help)", "# TYPE \(name) gauge"]
            for (l, v) in samples { lines.append("\(name){\(labels(l + [machine]))} \(number(v))") }
        }
        let kernels = [("kernel", comparison.newKernel ?? ""), ("base_kernel", comparison.baseKernel ?? "")]
        let rows = comparison.rows.map { row -> ([(String, String)], Comparison.Row) in
            ([("id", row.id.description), ("verdict", row.verdict?.rawValue ?? "none")] + kernels, row)
        }
        family("syscost_gate_change_ratio", "A benchmark's new figure over its baseline's (1: no change).", rows.map { ($0.0, $0.1.ratio) })
        family("syscost_gate_mde_ratio", "The smallest change, as a share, the comparison could have seen.",
               rows.compactMap { r in r.1.mde.map { (r.0, $0) } })
        family("syscost_gate_pass", "1 when the gate passed: complete runs on both sides and no regression.",
               [([], comparison.incomplete.isEmpty && !regressions ? 1 : 0)])
        family("syscost_gate_incomplete", "1 when a side was broken, partial or interrupted: not a pass.", [([], comparison.incomplete.isEmpty ? 0 : 1)])
        if let base = comparison.baseKernel, let new = comparison.newKernel {
            family("syscost_gate_kernel_changed", "1 when the run's kernel release differs from its baseline's (both are labels).",
                   [(kernels, base == new ? 0 : 1)])
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// What a watch pass that failed before it could judge writes: no pass, and why, so no
    /// alert keeps reading the previous pass's "pass".
    public static func renderFailedPass(machine: String, reason: String) -> String {
        let machine = [("machine", machine)]
        return ["# HELP syscost_gate_pass 1 when the gate passed: complete runs on both sides and no regression.",
                "# TYPE syscost_gate_pass gauge", "syscost_gate_pass{\(labels(machine))} 0",
                "# HELP syscost_watch_failed 1 when the last watch pass failed before it could judge; reason says why.",
                "# TYPE syscost_watch_failed gauge", "syscost_watch_failed{\(labels(machine + [("reason", String(reason.prefix(500)))]))} 1"]
            .joined(separator: "\n") + "\n"
    }

    static func labels(_ pairs: [(String, String)]) -> String {
        pairs.map { "\($0.0)=\"\(escape($0.1))\"" }.joined(separator: ",")
    }

    /// A label value as the text format writes it: `\` `"` and newline escaped; other control
    /// characters (which no reader needs) as `\u{…}` text, never raw.
    static func escape(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out += c.value < 0x20 || c.value == 0x7f ? "\\\\u{\(String(c.value, radix: 16))}" : String(c)
            }
        }
        return out
    }

    /// A sample value, the shortest text that reads back as the same double (Prometheus parses
    /// Go's float syntax, which this is).
    static func number(_ x: Double) -> String { x.isFinite ? "\(x)" : "NaN" }
}
