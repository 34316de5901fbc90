import Foundation
import SysCostModel

/// Counters laid out as `perf stat` lays them out: one event per line under each benchmark,
/// derived metrics as `#` lines, units where an event has one. Only events that were counted
/// get a line; one note per reason says why the others were not.
public enum CounterLayout {
    static let title = "Counters per op (counted in batches of their own)"

    public static func section(_ report: RunReport) -> ReportSection? {
        guard let names = report.config.counters, !names.isEmpty else { return nil }
        let counted = report.results.filter { $0.counters != nil }
        guard !counted.isEmpty else { return nil }
        var rows: [[String]] = []
        var reasons: [(reason: String, names: [CounterName])] = []
        var scaled = false
        for r in counted {
            var first = true
            func row(_ value: String, _ event: String, _ comment: String) {
                rows.append([first ? r.id.description : "", value, event, comment])
                first = false
            }
            let events = names + (r.counters ?? [:]).keys.filter { !names.contains($0) }.sorted()
            for name in events {
                guard let c = r.counters?[name] else { continue }
                guard c.status == .ok, let perOp = c.perOp else {
                    let reason = c.reason ?? "unavailable"
                    if let i = reasons.firstIndex(where: { $0.reason == reason }) {
                        if !reasons[i].names.contains(name) { reasons[i].names.append(name) }
                    } else {
                        reasons.append((reason, [name]))
                    }
                    continue
                }
                let scaling = c.scaling ?? 1
                if scaling > 1.01 { scaled = true }
                let value = name == .taskClock ? Format.ns(perOp) + " ns" : Format.count(perOp)
                row(value, name.rawValue, scaling > 1.01 ? String(format: "(scaled ×%.2f: multiplexed)", scaling) : "")
            }
            for (metric, value) in (r.counterMetrics ?? [:]).sorted(by: { $0.key < $1.key }) {
                row(metric == .kernelCycleShare ? Format.percent(value) : String(format: "%.2f", value),
                    "# " + metric.rawValue, metric.meaning)
            }
            if let overhead = r.countingOverhead {
                row(Self.overhead(overhead), "# counting overhead", "")
            }
            if first { row("-", "(nothing counted)", "") }
        }
        var notes: [String] = []
        if let note = report.config.counterAccess?.note { notes.append(note) }
        notes += reasons.map { "not counted (\($0.names.map(\.rawValue).joined(separator: ", "))): \($0.reason)" }
        if scaled { notes.append("scaled: the kernel multiplexed the counter; its count was scaled up by time enabled / time running") }
        notes.append("counting overhead: how much slower the counted batches ran than the timed median (counters never run in a timed batch); \"none\" where it is within the \(Int(Self.overheadNoise * 100))% that batches of one run vary anyway")
        var section = ReportSection(title: title, table: Table(header: ["benchmark", "per op", "event", ""], rows: rows, numericColumns: [1]),
                                    notes: notes)
        section.pageTable = compactTable(report)
        return section
    }

    /// The same counts one row per benchmark, a column per counted event and metric: what a
    /// page shows, where a perf-stat listing of every benchmark would run for screens.
    /// Below this a counted batch's difference from the timed median is the batches' own
    /// spread (the run's `noisy` limit), not a cost of counting: said as "none", never as a
    /// negative overhead.
    static let overheadNoise = 0.05

    static func overhead(_ x: Double) -> String {
        x > overheadNoise ? String(format: "+%.1f%%", x * 100) : "none"
    }

    public static func compactTable(_ report: RunReport) -> Table? {
        let counted = report.results.filter { $0.counters != nil }
        guard let names = report.config.counters, !names.isEmpty, !counted.isEmpty else { return nil }
        let all = names + Set(counted.flatMap { ($0.counters ?? [:]).keys }).subtracting(names).sorted()
        let events = all.filter { name in counted.contains { $0.counters?[name]?.status == .ok } }
        let metrics = CounterMetric.allCases.filter { m in counted.contains { $0.counterMetrics?[m] != nil } }
        let rows = counted.map { r -> [String] in
            let cells = events.map { name -> String in
                guard let c = r.counters?[name], c.status == .ok, let v = c.perOp else { return "-" }
                let value = name == .taskClock ? Format.ns(v) : Format.count(v)
                guard let scaling = c.scaling, scaling > 1.01 else { return value }
                return value + String(format: " (×%.2f)", scaling)
            }
            let metricCells: [String] = metrics.map { m in r.counterMetrics?[m].map { String(format: "%.2f", $0) } ?? "-" }
            let overheadCell: String = r.countingOverhead.map(Self.overhead) ?? "-"
            return [r.id.description] + cells + metricCells + [overheadCell]
        }
        let header = ["benchmark"] + events.map { $0 == .taskClock ? "task-clock ns" : $0.rawValue } + metrics.map(\.rawValue)
            + ["counting overhead"]
        return Table(header: header, rows: rows)
    }
}
