import Foundation
import SysCostModel

/// One row per result (RFC 4180 quoting); samples are left to the JSON report. Cells that a
/// spreadsheet would run as a formula are prefixed with a quote.
public enum CSVRenderer {
    /// The columns; every figure is in the `unit` column's unit, and the loop's overhead is
    /// named for what it counts (`overhead_ns`, or `overhead_insn` under an instruction clock).
    static func columns(_ counted: Counted) -> [String] {
        ["id", "suite", "category", "status", "unit", "median", "mean", "min", "stddev", "cv",
         "p5", "p95", "ci95_low", "ci95_high", "tsc_cycles_per_op", "overhead_\(counted.word)",
         "iterations_per_batch", "repetitions", "syscalls_per_op", "warnings", "p10", "p10_ci95_low", "p10_ci95_high"]
    }

    public static func render(_ report: RunReport) -> String {
        let counters = report.config.counters ?? []
        var lines = [(columns(report.environment.counted) + counters.map { "counter:\($0)" }).map(quote).joined(separator: ",")]
        for r in report.results {
            let s = r.summary
            let numbers: [Double?] = [s?.median, s?.mean, s?.min, s?.stddev, s?.cv, s?.p5, s?.p95,
                                      s?.ci95Low, s?.ci95High, r.tscCyclesPerOp, r.overheadNs]
            let fields = [r.id.description, r.suite.rawValue, r.category.rawValue, r.status.rawValue, r.unit.rawValue]
                + numbers.map { $0.map { String(format: "%.4f", $0) } ?? "" }
                + ["\(r.iterationsPerBatch)", "\(r.samples.count)", "\(r.syscallsPerOp)",
                   (r.warnings.map(\.description) + (r.error.map { ["error: \($0)"] } ?? [])).joined(separator: "; ")]
                + [s?.p10, s?.p10CI95Low, s?.p10CI95High].map { $0.map { String(format: "%.4f", $0) } ?? "" }
                + counters.map { name in r.counters?[name]?.perOp.map { String(format: "%.4f", $0) } ?? "" }
            lines.append(fields.map(quote).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A field: control characters shown as escapes (`Escape.terminal`), a formula's first
    /// character defused, quoted where RFC 4180 needs it.
    public static func quote(_ field: String) -> String {
        var field = Escape.terminal(field)
        if let first = field.first, "=+-@\t\r".contains(first), Double(field) == nil { field = "'" + field }
        guard field.contains(where: { ",\"\n\r".contains($0) }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
