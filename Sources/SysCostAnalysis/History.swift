import Foundation
import SysCostModel

/// Many runs side by side, mmtests-style: rows are benchmark ids, columns are runs ordered by
/// kernel version (then start time); the first column is the base, and every other cell is
/// compared with it as `syscost compare` would.
public struct History: Codable, Sendable {
    public struct Run: Codable, Equatable, Sendable {
        public var path: String
        public var kernel: String
        public var hostname: String
        public var startedAt: String
        public var emulated: Bool
        public var seccomp: String?
    }
    public struct Cell: Codable, Equatable, Sendable {
        public var median: Double
        /// The run's 95% interval of the median.
        public var ci95Low: Double?
        public var ci95High: Double?
        /// new / base − 1; nil in the base column.
        public var change: Double?
        public var pValue: Double?
        public var verdict: Comparison.Verdict?
    }
    public struct Row: Codable, Equatable, Sendable {
        public var id: BenchmarkID
        public var unit: FigureUnit
        /// One per run; nil where the run has no sample of this id.
        public var cells: [Cell?]
    }

    public var threshold: Double
    public var alpha: Double
    public var runs: [Run]
    public var rows: [Row]

    public static func build(_ reports: [(path: String, report: RunReport)], threshold: Double = Comparison.defaultThreshold,
                             alpha: Double = Comparison.defaultAlpha) -> History {
        let ordered = reports.sorted { a, b in
            let ka = KernelVersion(a.report.environment.kernel.release), kb = KernelVersion(b.report.environment.kernel.release)
            if ka != kb { return ka < kb }
            return (a.report.config.startedAt, a.path) < (b.report.config.startedAt, b.path)
        }
        let runs = ordered.map { item -> Run in
            let e = item.report.environment
            return Run(path: item.path, kernel: e.kernel.release, hostname: e.hostname, startedAt: item.report.config.startedAt,
                       emulated: e.emulated == true, seccomp: e.seccomp.installed?.spec)
        }
        var ids: [BenchmarkID] = []
        var seen = Set<BenchmarkID>()
        for item in ordered { for r in item.report.results where seen.insert(r.id).inserted { ids.append(r.id) } }
        let byRun = ordered.map { item in Dictionary(item.report.results.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }) }
        let rows = ids.map { id -> Row in
            let results = byRun.map { $0[id] }
            let cells = results.map { result in
                result?.summary.map { Cell(median: $0.median, ci95Low: $0.ci95Low, ci95High: $0.ci95High, change: nil, pValue: nil, verdict: nil) }
            }
            return Row(id: id, unit: (results.compactMap { $0 }.first?.unit) ?? .nsPerOp, cells: cells)
        }
        var history = History(threshold: threshold, alpha: alpha, runs: runs, rows: rows)
        history.compareWithBase(byRun: byRun)
        return history
    }

    /// Fills each non-base cell's change, p-value and verdict against the row's first cell of
    /// the same kind: emulated runs against the first emulated run, hardware runs against the
    /// first hardware run (an emulated CPU's timings say nothing about the hardware's).
    private mutating func compareWithBase(byRun: [[BenchmarkID: BenchmarkResult]]) {
        for r in rows.indices {
            let id = rows[r].id
            for c in rows[r].cells.indices {
                guard let baseIndex = rows[r].cells.indices.first(where: { rows[r].cells[$0] != nil && runs[$0].emulated == runs[c].emulated }),
                      c > baseIndex, let base = byRun[baseIndex][id], let baseSummary = base.summary, baseSummary.median > 0,
                      let result = byRun[c][id], let summary = result.summary else { continue }
                let row = Comparison.row(id: id, unit: result.unit, base: base.samples, new: result.samples,
                                         baseSummary: baseSummary, newSummary: summary, threshold: threshold, alpha: alpha)
                rows[r].cells[c]?.change = row.ratio - 1
                rows[r].cells[c]?.pValue = row.pValue
                rows[r].cells[c]?.verdict = row.verdict
            }
        }
    }

    /// The mark after a change: `*` regression or improvement (significant and beyond the
    /// threshold and the noise), `?` too noisy to tell, nothing when unchanged.
    public static func mark(_ verdict: Comparison.Verdict?) -> String {
        switch verdict {
        case .regression?, .improvement?: return "*"
        case .noisy?: return "?"
        default: return ""
        }
    }
}
