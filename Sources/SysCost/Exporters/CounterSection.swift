import Foundation

/// "Counters per op": one row per result of a run with `--counters`, one column per counter
/// (and derived figure); an unavailable counter shows as n/a, with its reason underneath.
enum CounterSection {
    static let title = "Counters per op (counted in batches of their own)"

    struct Table {
        var header: [String]
        var rows: [[String]]
        var notes: [String]
    }

    static func format(_ value: Double) -> String {
        let magnitude = abs(value)
        if magnitude == 0 { return "0" }
        if magnitude >= 100 { return String(format: "%.0f", value) }
        if magnitude >= 1 { return String(format: "%.2f", value) }
        return String(format: "%.4f", value)
    }

    static func table(for report: RunReport) -> Table? {
        guard let names = report.config.counters, !names.isEmpty else { return nil }
        let counted = report.results.filter { $0.counters != nil }
        guard !counted.isEmpty else { return nil }
        let derived = Array(Set(counted.flatMap { $0.derived?.keys.map { $0 } ?? [] })).sorted()
        let header = ["benchmark"] + names + derived + ["counting overhead"]
        var reasons: [String: [String]] = [:]  // reason → counter names
        var order: [String] = []
        let rows = counted.map { r -> [String] in
            let cells = names.map { name -> String in
                guard let c = r.counters?[name] else { return "-" }
                guard c.status == .ok, let perOp = c.perOp else {
                    let reason = c.reason ?? "unavailable"
                    if reasons[reason] == nil { order.append(reason) }
                    if !(reasons[reason] ?? []).contains(name) { reasons[reason, default: []].append(name) }
                    return "n/a"
                }
                let scaling = c.scaling ?? 1
                return format(perOp) + (scaling > 1.01 ? String(format: " (×%.2f)", scaling) : "")
            }
            let extra = derived.map { key in r.derived?[key].map(format) ?? "-" }
            return [r.id] + cells + extra + [r.countingOverhead.map { String(format: "%+.1f%%", $0 * 100) } ?? "-"]
        }
        var notes = order.map { "n/a \($0.isEmpty ? "" : "(\(reasons[$0]!.joined(separator: ", "))): \($0)")" }
        if let note = report.config.counterAccess?.note { notes.insert(note, at: 0) }
        if rows.contains(where: { $0.contains { $0.contains("(×") } }) {
            notes.append("(×s): multiplexed; the count was scaled up by time enabled / time running = s")
        }
        return Table(header: header, rows: rows, notes: notes)
    }
}
