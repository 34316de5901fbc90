import Foundation
import SysCostModel
import SysCostSuites
import SysCostStatistics

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
        /// The figures count guest instructions (qemu icount): exact, host-independent, so
        /// judged by the spread their boots show, as hardware runs are.
        public var instructions: Bool = false
        /// The kernel options of this boot that not every run of the history has (a
        /// `--cmdline mitigations=off` boot among plain ones): what tells its column apart.
        public var bootOptions: [String] = []
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
        /// The smallest change that counts for this benchmark (a fraction).
        public var threshold: Double
        /// One per run; nil where the run has no sample of this id.
        public var cells: [Cell?]
    }

    /// Whose runs these are.
    public var machine: MachineKey
    public var fingerprint: MachineFingerprint
    /// The default threshold (a fraction); rows carry their own.
    public var threshold: Double
    public var alpha: Double
    /// The power each cell's MDE is given at.
    public var power: Double
    /// The figure each cell shows and is judged by.
    public var estimator: Estimator
    public var runs: [Run]
    public var rows: [Row]
    /// The between-run spread learned from these runs (nil: fewer than three of a kernel), by
    /// which one run is judged against another; each column's rows are one Holm family.
    public var spread: BetweenRunSpread?

    /// One history per machine: a run joins the first group whose machine it does not differ
    /// from (a report made before fingerprints were recorded joins its own machine's), in the
    /// order machines are first seen by start time. `machine` keeps the groups whose key
    /// starts with it; `last` keeps each machine's newest N runs.
    public static func perMachine(_ runs: [(path: String, run: RunTimings)],
                                  thresholds: Thresholds = Thresholds(default: Comparison.defaultThreshold * 100),
                                  instructionThresholds: Thresholds? = nil,
                                  alpha: Double = Comparison.defaultAlpha, power: Double = Comparison.defaultPower,
                                  estimator: Estimator = .undisturbed, machine: String? = nil, last: Int? = nil) -> [History] {
        var groups: [[(path: String, run: RunTimings)]] = []
        for item in runs.sorted(by: { ($0.run.startedAt, $0.path) < ($1.run.startedAt, $1.path) }) {
            let f = item.run.environment.fingerprint
            if let g = groups.firstIndex(where: { $0[0].run.environment.fingerprint.differences(from: f).isEmpty }) {
                groups[g].append(item)
            } else {
                groups.append([item])
            }
        }
        return groups.compactMap { group -> History? in
            let newest = last.map { Array(group.suffix(max($0, 1))) } ?? group
            // A machine whose runs count guest instructions is judged by their thresholds.
            let counts = newest.first?.run.environment.counted == .guestInstructions
            let h = build(newest, thresholds: counts ? instructionThresholds ?? thresholds : thresholds, alpha: alpha, power: power,
                          estimator: estimator)
            let keys = group.map { $0.run.environment.fingerprint.key.rawValue }
            if let machine, !keys.contains(where: { $0.hasPrefix(machine) }) { return nil }
            return h
        }
    }

    /// The same, from whole reports.
    public static func perMachine(_ reports: [(path: String, report: RunReport)],
                                  thresholds: Thresholds = Thresholds(default: Comparison.defaultThreshold * 100),
                                  instructionThresholds: Thresholds? = nil,
                                  alpha: Double = Comparison.defaultAlpha, power: Double = Comparison.defaultPower,
                                  estimator: Estimator = .undisturbed, machine: String? = nil, last: Int? = nil) -> [History] {
        perMachine(reports.map { (path: $0.path, run: RunTimings($0.report)) }, thresholds: thresholds,
                   instructionThresholds: instructionThresholds, alpha: alpha,
                   power: power, estimator: estimator, machine: machine, last: last)
    }

    /// One machine's history from whole reports.
    public static func build(_ reports: [(path: String, report: RunReport)],
                             thresholds: Thresholds = Thresholds(default: Comparison.defaultThreshold * 100),
                             alpha: Double = Comparison.defaultAlpha, power: Double = Comparison.defaultPower,
                             estimator: Estimator = .undisturbed) -> History {
        build(reports.map { (path: $0.path, run: RunTimings($0.report)) }, thresholds: thresholds, alpha: alpha,
              power: power, estimator: estimator)
    }

    public static func build(_ reports: [(path: String, run: RunTimings)],
                             thresholds: Thresholds = Thresholds(default: Comparison.defaultThreshold * 100),
                             alpha: Double = Comparison.defaultAlpha, power: Double = Comparison.defaultPower,
                             estimator: Estimator = .undisturbed) -> History {
        let ordered = reports.sorted { a, b in
            let ka = KernelVersion(a.run.environment.kernel.release), kb = KernelVersion(b.run.environment.kernel.release)
            if ka != kb { return ka < kb }
            return (a.run.startedAt, a.path) < (b.run.startedAt, b.path)
        }
        let optionSets = ordered.map { Set($0.run.environment.kernel.bootOptions) }
        let shared = optionSets.dropFirst().reduce(optionSets.first ?? []) { (common: Set<String>, next: Set<String>) in common.intersection(next) }
        let runs = ordered.map { item -> Run in
            let e = item.run.environment
            return Run(path: item.path, kernel: e.kernel.release, hostname: e.hostname, startedAt: item.run.startedAt,
                       emulated: e.emulated == true, instructions: e.instructionClock != nil,
                       bootOptions: e.kernel.bootOptions.filter { !shared.contains($0) },
                       seccomp: e.seccomp.installed?.spec, interrupted: item.run.interrupted)
        }
        // The machine as the most complete fingerprint among the runs tells it.
        func completeness(_ f: MachineFingerprint) -> Int { (f.machineIDHash == nil ? 0 : 2) + (f.memoryBytes == nil ? 0 : 1) }
        let fingerprints: [MachineFingerprint] = ordered.map { $0.run.environment.fingerprint }
        let fingerprint: MachineFingerprint = fingerprints.max { completeness($0) < completeness($1) }
            ?? MachineFingerprint(derivedFrom: ordered[0].run.environment)
        var ids: [BenchmarkID] = []
        var seen = Set<BenchmarkID>()
        for item in ordered { for r in item.run.results where seen.insert(r.id).inserted { ids.append(r.id) } }
        // Each cell's estimate, worked out once: the cell shows it and every comparison reads it.
        let byRun = ordered.map { item in Dictionary(item.run.results.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }) }
        let estimates: [[Comparison.RunEstimate?]] = ids.map { id in
            byRun.map { results in results[id].flatMap { Comparison.RunEstimate($0.samples, estimator) } }
        }
        let rows = zip(ids, estimates).map { id, row -> Row in
            Row(id: id, unit: byRun.lazy.compactMap { $0[id]?.unit }.first ?? .nsPerOp, threshold: thresholds.fraction(for: id),
                cells: row.map { e in
                e.map { Cell(value: $0.value, ci95Low: $0.interval?.lowerBound, ci95High: $0.interval?.upperBound,
                             change: nil, mde: nil, verdict: nil) }
            })
        }
        var history = History(machine: fingerprint.key, fingerprint: fingerprint, threshold: thresholds.default / 100, alpha: alpha,
                              power: power, estimator: estimator, runs: runs, rows: rows)
        // The runs of the history are the machine's runs: the spread between them (about each
        // kernel's own mean) is the between-run term every cell's comparison with the base needs.
        // TCG's timings are the host's speed at the time, never learned from; an instruction
        // clock's boots are learned from like hardware runs.
        history.spread = BetweenRunSpread.learn(from: ordered.filter { $0.run.environment.emulated != true || $0.run.environment.instructionClock != nil }.map(\.run),
                                                estimator: estimator)
        history.compareWithBase(samples: ids.map { id in byRun.map { $0[id]?.samples ?? [] } },
                                cycleNs: ordered.map { $0.run.environment.attributableStepNs })
        return history
    }

    /// Fills each non-base cell's change, MDE and verdict against the row's first cell of a
    /// complete run of the same kind (emulated with emulated, hardware with hardware), as
    /// `syscost compare BASE RUN` would judge it with the history's own spread: the same
    /// estimate, interval, floor (a cycle per op) and, for each column, Holm over its rows.
    /// An interrupted run's cells get a change but no verdict.
    private mutating func compareWithBase(samples: [[[Double]]], cycleNs: [Double?]) {
        var columns: [Int: [(row: Int, judged: Comparison.Row)]] = [:]
        let learned = spread?.byID ?? [:]
        for r in rows.indices {
            let id = rows[r].id
            let varies = Suites.variesBetweenRuns(id)
            var baseOfKind: [Bool: Int] = [:]
            for c in rows[r].cells.indices where rows[r].cells[c] != nil && !runs[c].interrupted && baseOfKind[runs[c].emulated] == nil {
                baseOfKind[runs[c].emulated] = c
            }
            for c in rows[r].cells.indices {
                guard let b = baseOfKind[runs[c].emulated], c > b else { continue }
                guard let row = Comparison.row(id: id, unit: rows[r].unit, base: [samples[r][b]], new: [samples[r][c]],
                                               threshold: rows[r].threshold, alpha: alpha, estimator: estimator,
                                               spread: runs[c].emulated && !runs[c].instructions ? nil : learned[id], cycleNs: cycleNs[b],
                                               variesBetweenRuns: varies) else { continue }
                columns[c, default: []].append((r, row))
            }
        }
        for (c, column) in columns {
            var judged = column.map(\.judged)
            Comparison.decide(&judged, family: .holm, alpha: alpha, power: power, cycleNs: cycleNs[c])
            for (entry, row) in zip(column, judged) {
                rows[entry.row].cells[c]?.change = row.ratio - 1
                rows[entry.row].cells[c]?.mde = row.mde
                rows[entry.row].cells[c]?.verdict = runs[c].interrupted ? nil : row.verdict
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
