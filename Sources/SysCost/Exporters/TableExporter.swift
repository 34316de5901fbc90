import Foundation

/// The human table printed to a terminal: one row per result, then warnings and failures.
public struct TableExporter: ReportExporter {
    public init() {}

    public func export(_ report: RunReport) throws -> String {
        let header = ["benchmark", "median ns", "95% CI", "CV", "min", "p95", "TSC cyc"]
        let rows = report.results.map { r -> [String] in
            let s = r.summary
            return [r.id, r.status == .failed ? "FAILED" : Format.ns(s?.median), Format.ci(s), Format.percent(s?.cv),
                    Format.ns(s?.min), Format.ns(s?.p95), r.tscCyclesPerOp.map { String(format: "%.0f", $0) } ?? "-"]
        }
        var out = Self.align([header] + rows, rightAligned: Set(1..<header.count)) + "\n"
        out += Notes.lines(for: report).map { $0 + "\n" }.joined()
        return out
    }

    static func align(_ rows: [[String]], rightAligned: Set<Int>) -> String {
        let widths = rows[0].indices.map { col in rows.map { $0[col].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { col, cell in
                let pad = String(repeating: " ", count: widths[col] - cell.count)
                return rightAligned.contains(col) ? pad + cell : cell + pad
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }.joined(separator: "\n")
    }
}

/// The lines under a table: how it was measured, warnings, failures.
enum Notes {
    static func lines(for report: RunReport) -> [String] {
        var lines: [String] = []
        let c = report.config, env = report.environment
        var how = "CPU \(c.cpu), \(c.repetitions) repetitions of ≥\(Format.ns(c.minBatchTimeMs)) ms batches"
        how += c.interleave ? ", interleaved" : ", one benchmark at a time"
        if let hz = env.tsc.frequencyHz { how += String(format: ", TSC %.3f GHz", hz / 1e9) }
        if let overhead = report.results.first?.overheadNs {
            how += String(format: "; empty-loop overhead %.2f ns/op subtracted", overhead)
        }
        lines.append(how)
        lines.append("kernel \(env.kernel.release), \(env.cpu.modelName), clocksource \(env.clocksource ?? "?")")
        for r in report.results {
            for w in r.warnings { lines.append("warning: \(r.id): \(w)") }
            if let e = r.error { lines.append("failed: \(r.id): \(e)") }
        }
        if report.interrupted { lines.append("interrupted: results hold the repetitions taken before the signal") }
        return lines
    }
}
