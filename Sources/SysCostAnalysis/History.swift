import Foundation
import SysCostModel

/// One machine's runs side by side, mmtests-style: rows are benchmark ids, columns are runs
/// ordered by kernel version (then start time); the first complete run is the base, and every
/// other cell is compared with it as `syscost compare` would. Runs of different machines (or
/// an emulated CPU and hardware) are never in one history: `perMachine` makes one each.
public struct History: Codable, Sendable {
    public struct Run: Codable, Equatable, Sendable {
        public var path: String
        public var kernel: String
        public var hostname: String
        public var startedAt: String
        public var emulated: Bool
        public var seccomp: String?
        /// A signal stopped it: shown, never judged.
        public var interrupted: Bool
    }
    public struct Cell: Codable, Equatable, Sendable {
        /// The history's estimator read from the run's rounds.
        public var value: Double
        /// Its 95% interval in that run (nil where the rounds are too few for one).
        public var ci95Low: Double?
        public var ci95High: Double?
        /// new / base − 1; nil in the base column.
        public var change: Double?
        /// The smallest change the comparison with the base could see.
        public var mde: Double?
        public var verdict: Comparison.Verdict?
    }
    public struct Row: Codable, Equatable, Sendable {
        public var id: BenchmarkID
        public var unit: FigureUnit
        /// One per run; nil where the run has no sample of this id.
        public var cells: [Cell?]
    }

    /// Whose runs these are.
    public var machine: MachineKey
    public var fingerprint: MachineFingerprint
    public var threshold: Double
    public var alpha: Double
    /// The figure each cell shows and is judged by.
    public var estimator: Estimator
    public var runs: [Run]
    public var rows: [Row]

    /// One history per machine: a run joins the first group whose machine it does not differ
    /// from (a report made before fingerprints were recorded joins its own machine's), in the
    /// order machines are first seen by start time. `machine` keeps the groups whose key
    /// starts with it; `last` keeps each machine's newest N runs.
    public static func perMachine(_ reports: [(path: String, report: RunReport)], threshold: Double = Comparison.defaultThreshold,
                                  alpha: Double = Comparison.defaultAlpha, estimator: Estimator = .undisturbed,
                                  machine: String? = nil, last: Int? = nil) -> [History] {
        var groups: [[(path: String, report: RunReport)]] = []
        for item in reports.sorted(by: { ($0.report.config.startedAt, $0.path) < ($1.report.config.startedAt, $1.path) }) {
            let f = item.report.environment.fingerprint
            if let g = groups.firstIndex(where: { $0[0].report.environment.fingerprint.differences(from: f).isEmpty }) {
                groups[g].append(item)
            } else {
                groups.append([item])
            }
        }
        return groups.compactMap { group -> History? in
            let newest = last.map { Array(group.suffix(max($0, 1))) } ?? group
            let h = build(newest, threshold: threshold, alpha: alpha, estimator: estimator)
            let keys = group.map { $0.report.environment.fingerprint.key.rawValue }
            if let machine, !keys.contains(where: { $0.hasPrefix(machine) }) { return nil }
            return h
        }
    }

    public static func build(_ reports: [(path: String, report: RunReport)], threshold: Double = Comparison.defaultThreshold,
                             alpha: Double = Comparison.defaultAlpha, estimator: Estimator = .undisturbed) -> History {
        let ordered = reports.sorted { a, b in
            let ka = KernelVersion(a.report.environment.kernel.release), kb = KernelVersion(b.report.environment.kernel.release)
            if ka != kb { return ka < kb }
            return (a.report.config.startedAt, a.path) < (b.report.config.startedAt, b.path)
        }
        let runs = ordered.map { item -> Run in
            let e = item.report.environment
            return Run(path: item.path, kernel: e.kernel.release, hostname: e.hostname, startedAt: item.report.config.startedAt,
                       emulated: e.emulated == true, seccomp: e.seccomp.installed?.spec, interrupted: item.report.interrupted)
        }
        // The machine as the most complete fingerprint among the runs tells it.
        func completeness(_ f: MachineFingerprint) -> Int { (f.machineIDHash == nil ? 0 : 2) + (f.memoryBytes == nil ? 0 : 1) }
        let fingerprints: [MachineFingerprint] = ordered.map { $0.report.environment.fingerprint }
        let fingerprint: MachineFingerprint = fingerprints.max { completeness($0) < completeness($1) }
            ?? MachineFingerprint(derivedFrom: ordered[0].report.environment)
        var ids: [BenchmarkID] = []
        var seen = Set<BenchmarkID>()
        for item in ordered { for r in item.report.results where seen.insert(r.id).inserted { ids.append(r.id) } }
        let byRun = ordered.map { item in Dictionary(item.report.results.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }) }
        let rows = ids.map { id -> Row in
            let results = byRun.map { $0[id] }
            let cells = results.map { result -> Cell? in
                guard let result, result.summary != nil, !result.samples.isEmpty else { return nil }
                let sorted = result.samples.sorted()
                let ci = estimator.interval(sorted: sorted)
                return Cell(value: estimator.value(sorted: sorted), ci95Low: ci?.lowerBound, ci95High: ci?.upperBound,
                            change: nil, mde: nil, verdict: nil)
            }
            return Row(id: id, unit: (results.compactMap { $0 }.first?.unit) ?? .nsPerOp, cells: cells)
        }
        var history = History(machine: fingerprint.key, fingerprint: fingerprint, threshold: threshold, alpha: alpha,
                              estimator: estimator, runs: runs, rows: rows)
        history.compareWithBase(byRun: byRun)
        return history
    }

    /// Fills each non-base cell's change, MDE and verdict against the row's first cell of
    /// a complete run of the same kind (emulated with emulated, hardware with hardware); an
    /// interrupted run's cells get a change but no verdict.
    private mutating func compareWithBase(byRun: [[BenchmarkID: BenchmarkResult]]) {
        for r in rows.indices {
            let id = rows[r].id
            for c in rows[r].cells.indices {
                guard let baseIndex = rows[r].cells.indices.first(where: {
                          rows[r].cells[$0] != nil && runs[$0].emulated == runs[c].emulated && !runs[$0].interrupted }),
                      c > baseIndex, let base = byRun[baseIndex][id], let result = byRun[c][id], result.summary != nil,
                      let row = Comparison.row(id: id, unit: result.unit, base: [base.samples], new: [result.samples],
                                               threshold: threshold, alpha: alpha, estimator: estimator) else { continue }
                rows[r].cells[c]?.change = row.ratio - 1
                rows[r].cells[c]?.mde = row.mde
                rows[r].cells[c]?.verdict = runs[c].interrupted ? nil : row.verdict
            }
        }
    }

    /// The mark after a change: `*` regression or improvement (the interval excludes no change,
    /// beyond the threshold), `?` inconclusive (MDE above the threshold), nothing when unchanged.
    public static func mark(_ verdict: Comparison.Verdict?) -> String {
        switch verdict {
        case .regression?, .improvement?: return "*"
        case .inconclusive?: return "?"
        default: return ""
        }
    }
}
