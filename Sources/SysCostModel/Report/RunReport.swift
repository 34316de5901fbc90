import Foundation
import SysCostStatistics

/// A run's report: what was measured, how, where, and the results. Its JSON form is the
/// `syscost.run/3` schema documented in docs/report-schema.md (and docs/report-schema.json);
/// `/1` and `/2` reports still load.
public struct RunReport: Codable, Equatable, Sendable {
    public static let schemaVersion = "syscost.run/3"
    /// Schemas this version reads: its own and the ones before (`/2`: derived figures and the
    /// A/B knob as Swift's synthesized enums; `/1`: warnings as "tag: text" strings, derived
    /// figures as per-suite fields).
    public static let readableSchemas = ["syscost.run/1", "syscost.run/2", schemaVersion]
    /// Where a decoder learns which schema it reads.
    static let schemaKey = CodingUserInfoKey(rawValue: "syscost.schema")!

    public var schema: String = RunReport.schemaVersion
    public var environment: EnvironmentInfo
    public var config: RunConfig
    public var results: [BenchmarkResult]
    /// True when a signal stopped the run: results hold what was gathered until then.
    public var interrupted: Bool = false
    /// The host canary's batches, one per round beside the benchmarks (absent before /2).
    public var canary: HostCanary?

    public init(environment: EnvironmentInfo, config: RunConfig, results: [BenchmarkResult], interrupted: Bool = false) {
        self.environment = environment; self.config = config; self.results = results; self.interrupted = interrupted
    }

    /// How much of a report to read.
    public enum Detail: Sendable {
        /// Everything.
        case full
        /// What tabulating many runs needs: environment, config, canary, each result's rounds,
        /// summary, figures and warnings; counters and per-call distributions are left unread
        /// (they are most of a report's bytes and of its decoding time).
        case timings

        static let key = CodingUserInfoKey(rawValue: "syscost.detail")!
    }

    /// Decodes a report, refusing other schemas with a message naming the one found. A report
    /// read is a report of this version's schema from then on.
    /// The document is checked first (`JSONShape`: syntax, depth, strings, numbers) and the
    /// report after (`ReportLimits`), so an untrusted file is refused naming what is wrong.
    public static func decode(_ data: Data, detail: Detail = .full) throws -> RunReport {
        guard data.count <= ReportLimits.fileBytes else {
            throw SysCostError.invalidReport("\(data.count) bytes; a report is at most \(ReportLimits.fileBytes >> 20) MiB")
        }
        do { try JSONShape.check(data) } catch let problem as JSONShape.Problem {
            throw SysCostError.invalidReport("not valid JSON: \(problem)")
        }
        struct Header: Decodable { var schema: String? }
        let header: Header
        do { header = try JSONDecoder().decode(Header.self, from: data) } catch {
            throw SysCostError.invalidReport("not a JSON object (a report is one)")
        }
        guard let schema = header.schema, readableSchemas.contains(schema) else {
            throw SysCostError.invalidReport(
                "schema is '\(header.schema ?? "missing")', expected one of \(readableSchemas.map { "'\($0)'" }.joined(separator: ", "))")
        }
        do {
            let decoder = JSONDecoder()
            decoder.userInfo[Detail.key] = detail
            decoder.userInfo[schemaKey] = schema
            var report = try decoder.decode(RunReport.self, from: data)
            report.schema = schemaVersion
            // Reports from before the undisturbed cost was recorded: it is a statistic of the
            // samples they keep.
            for i in report.results.indices where report.results[i].summary != nil && report.results[i].summary?.p10 == nil {
                if let fresh = Summary(samples: report.results[i].samples) {
                    report.results[i].summary?.p10 = fresh.p10
                    report.results[i].summary?.p10CI95Low = fresh.p10CI95Low
                    report.results[i].summary?.p10CI95High = fresh.p10CI95High
                }
            }
            try ReportLimits.check(report)
            return report
        } catch let error as SysCostError {
            throw error
        } catch {
            if let field = WholeNumberFields.firstProblem(in: data) { throw SysCostError.invalidReport(field) }
            throw SysCostError.invalidReport("malformed \(schema) report: \(error)")
        }
    }

    /// The result of `id`, if the run has one.
    public func result(_ id: BenchmarkID) -> BenchmarkResult? { results.first { $0.id == id } }

    enum CodingKeys: String, CodingKey {
        case schema, environment, config, results, interrupted, canary, unavailableCounters
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        schema = try c.decodeIfPresent(String.self, forKey: .schema) ?? Self.schemaVersion
        environment = try c.decode(EnvironmentInfo.self, forKey: .environment)
        config = try c.decode(RunConfig.self, forKey: .config)
        results = try c.decode([BenchmarkResult].self, forKey: .results)
        interrupted = try c.decodeIfPresent(Bool.self, forKey: .interrupted) ?? false
        canary = try c.decodeIfPresent(HostCanary.self, forKey: .canary)
        // Counters no result could count, for one reason, are stored once: back on each result.
        guard decoder.userInfo[Detail.key] as? Detail != .timings else { return }
        let shared = try c.decodeIfPresent([CounterName: String].self, forKey: .unavailableCounters) ?? [:]
        for i in results.indices where results[i].counters != nil {
            for (name, reason) in shared where results[i].counters?[name] == nil { results[i].counters?[name] = .unavailable(reason) }
        }
    }

    /// Written once instead of on every result (`unavailableCounters`): a counter that every
    /// counted result has, unavailable for the same reason (no PMU: 1,168 copies of one
    /// sentence made 45% of a `--quick --counters default` report).
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(schema, forKey: .schema)
        try c.encode(environment, forKey: .environment)
        try c.encode(config, forKey: .config)
        try c.encode(interrupted, forKey: .interrupted)
        try c.encodeIfPresent(canary, forKey: .canary)
        let counted = results.compactMap(\.counters)
        var shared: [CounterName: String] = [:]
        if counted.count > 1 {
            for (name, value) in counted[0] {
                guard value.status == .unavailable, let reason = value.reason,
                      counted.allSatisfy({ $0[name] == .unavailable(reason) }) else { continue }
                shared[name] = reason
            }
        }
        var stored = results
        for i in stored.indices { for name in shared.keys { stored[i].counters?[name] = nil } }
        try c.encode(stored, forKey: .results)
        if !shared.isEmpty { try c.encode(shared, forKey: .unavailableCounters) }
    }
}

/// User-space work timed in every round: how fast the host ran while the run measured.
public struct HostCanary: Codable, Equatable, Sendable {
    /// ns per op of each round's canary batch, in the order taken.
    public var samples: [Double]
    public var nsPerOp: Double
    /// The effective clock (3-cycle multiplies) at the median.
    public var ghz: Double

    public init(samples: [Double], nsPerOp: Double, ghz: Double) { self.samples = samples; self.nsPerOp = nsPerOp; self.ghz = ghz }
}

/// How the run was configured: its `RunSettings` (read and written as if their fields were
/// this type's own: `config.repetitions`, and flat in the JSON), and what only the run itself
/// knew: the CPU it ran on, when, for how long, and what perf let it count.
@dynamicMemberLookup
public struct RunConfig: Codable, Equatable, Sendable {
    public var settings: RunSettings
    public var cpu: Int
    public var startedAt: String
    public var durationSeconds: Double
    /// With `--counters`: what this process was allowed to count.
    public var counterAccess: PerfAccess?

    public subscript<T>(dynamicMember field: WritableKeyPath<RunSettings, T>) -> T {
        get { settings[keyPath: field] }
        set { settings[keyPath: field] = newValue }
    }

    public init(settings: RunSettings, cpu: Int, startedAt: String, durationSeconds: Double) {
        self.settings = settings; self.cpu = cpu; self.startedAt = startedAt; self.durationSeconds = durationSeconds
    }

    public init(patterns: [String], cpu: Int, repetitions: Int, minBatchTimeMs: Double, interleave: Bool,
                quick: Bool, warmupMs: Double, startedAt: String, durationSeconds: Double) {
        self.init(settings: RunSettings(patterns: patterns, quick: quick, repetitions: repetitions, minBatchTimeMs: minBatchTimeMs,
                                        interleave: interleave, warmupMs: warmupMs),
                  cpu: cpu, startedAt: startedAt, durationSeconds: durationSeconds)
    }

    private enum CodingKeys: String, CodingKey { case cpu, startedAt, durationSeconds, counterAccess }

    /// The settings' keys and these side by side in one object, as every schema version wrote them.
    public init(from decoder: Decoder) throws {
        settings = try RunSettings(from: decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        cpu = try c.decode(Int.self, forKey: .cpu)
        startedAt = try c.decode(String.self, forKey: .startedAt)
        durationSeconds = try c.decode(Double.self, forKey: .durationSeconds)
        counterAccess = try c.decodeIfPresent(PerfAccess.self, forKey: .counterAccess)
    }

    public func encode(to encoder: Encoder) throws {
        try settings.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(cpu, forKey: .cpu)
        try c.encode(startedAt, forKey: .startedAt)
        try c.encode(durationSeconds, forKey: .durationSeconds)
        try c.encodeIfPresent(counterAccess, forKey: .counterAccess)
    }
}

/// Why a benchmark took fewer rounds than the most a run allowed.
public enum StopReason: String, Codable, CaseIterable, Sendable {
    /// Its median's 95% interval was within the target precision.
    case precision
    /// The run's time budget was spent first.
    case budget
}

public enum ResultStatus: String, Codable, CaseIterable, Sendable {
    /// Checked and timed for every repetition.
    case ok
    /// Its check or set-up failed: not timed.
    case failed
    /// A signal stopped the run before every repetition ran; the samples are the ones taken.
    case interrupted
    /// It cannot run here (`error` says why): not a failure.
    case skipped
}

/// One benchmark's result.
public struct BenchmarkResult: Equatable, Sendable {
    public let id: BenchmarkID
    /// The id's suite (kept so the JSON can be filtered by it).
    public let suite: SuiteName
    public var category: Category
    public var description: String
    public var syscallsPerOp: Int
    public var unit: FigureUnit = .nsPerOp
    public var iterationsPerBatch: Int
    /// Per-op cost of the empty loop, already subtracted from `samples`.
    public var overheadNs: Double
    /// Per-repetition figures in `unit`, in the order taken.
    public var samples: [Double]
    public var summary: Summary?
    /// Reference (TSC) cycles per op, not core cycles; absent where the TSC is not invariant.
    public var tscCyclesPerOp: Double?
    /// The benchmarks of the same run this one's derived figures use.
    public var relations: [Relation] = []
    /// Figures derived from this and related results.
    public var figures: [DerivedFigure] = []
    /// Counters per op (a ping-pong's op is one round trip).
    public var counters: [CounterName: CounterValue]?
    /// Figures computed from counters when their inputs are `ok`.
    public var counterMetrics: [CounterMetric: Double]?
    /// Counters run in batches of their own: how much slower those batches ran than the
    /// timed median (0.05: 5% slower), which is what counting costs the benchmark.
    public var countingOverhead: Double?
    /// Per-call latencies, with `run --distribution`.
    public var distribution: Distribution?
    /// Batches taken again because the scheduler preempted the measuring thread in them.
    public var retakenBatches: Int?
    /// Why it took fewer rounds than the most (`--time-budget`); nil when it took them all.
    public var stoppedBy: StopReason?
    public var warnings: [Warning]
    public var status: ResultStatus
    /// Why a failed or skipped result has no figure.
    public var error: String?

    public init(id: BenchmarkID, category: Category, description: String, syscallsPerOp: Int,
                iterationsPerBatch: Int, overheadNs: Double, samples: [Double], summary: Summary?,
                tscCyclesPerOp: Double?, warnings: [Warning], status: ResultStatus, error: String? = nil) {
        self.id = id; suite = id.suite; self.category = category; self.description = description
        self.syscallsPerOp = syscallsPerOp; self.iterationsPerBatch = iterationsPerBatch; self.overheadNs = overheadNs
        self.samples = samples; self.summary = summary; self.tscCyclesPerOp = tscCyclesPerOp
        self.warnings = warnings; self.status = status; self.error = error
    }

    public var median: Double? { summary?.median }
    /// The undisturbed cost (`Estimator.undisturbed`): what the derived figures combine.
    public var undisturbed: Double? { summary?.p10 ?? Estimator.undisturbed.value(samples) }
    public func related(_ role: Relation.Role) -> BenchmarkID? { relations.first { $0.role == role }?.id }
    public func has(_ kind: Warning.Kind) -> Bool { warnings.contains { $0.kind == kind } }

    /// The derived figure of `kind`, if the result has one (each suite reads its own kinds
    /// back as its types).
    public func figure(_ kind: DerivedFigure.Kind) -> DerivedFigure? { figures.first { $0.kind == kind } }

    /// What the run's A/B knob adds to this benchmark (`RunConfig.ab`).
    public var knobCost: PairedEstimate? { figure(.knobCost)?.estimate }

    /// The result of a run under an instruction clock: its figures are the same numbers, and
    /// their units say guest instructions (one virtual ns is one instruction at shift 0).
    public mutating func countGuestInstructions() {
        unit = unit.counting(.guestInstructions)
        for i in figures.indices { figures[i].unit = figures[i].unit.inInstructions }
    }
}

extension BenchmarkResult: Codable {
    // The stored properties, `suite` (the id's, for readers of the JSON) and nothing else:
    // encoding is synthesized from these.
    enum CodingKeys: String, CodingKey {
        case id, suite, category, description, syscallsPerOp, unit, iterationsPerBatch, overheadNs, samples, summary
        case tscCyclesPerOp, relations, figures, counters, counterMetrics, countingOverhead, distribution
        case retakenBatches, stoppedBy, warnings, status, error
    }

    /// Where syscost.run/1 kept what later schemas keep in `counterMetrics`.
    enum LegacyKeys: String, CodingKey {
        case derived
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(BenchmarkID.self, forKey: .id)
        category = try c.decode(Category.self, forKey: .category)
        description = try c.decode(String.self, forKey: .description)
        syscallsPerOp = try c.decode(Int.self, forKey: .syscallsPerOp)
        unit = try c.decodeIfPresent(FigureUnit.self, forKey: .unit) ?? .nsPerOp
        iterationsPerBatch = try c.decode(Int.self, forKey: .iterationsPerBatch)
        overheadNs = try c.decode(Double.self, forKey: .overheadNs)
        samples = try c.decode([Double].self, forKey: .samples)
        summary = try c.decodeIfPresent(Summary.self, forKey: .summary)
        tscCyclesPerOp = try c.decodeIfPresent(Double.self, forKey: .tscCyclesPerOp)
        relations = try c.decodeIfPresent([Relation].self, forKey: .relations) ?? []
        if decoder.userInfo[RunReport.Detail.key] as? RunReport.Detail != .timings {
            counters = try c.decodeIfPresent([CounterName: CounterValue].self, forKey: .counters)
            distribution = try c.decodeIfPresent(Distribution.self, forKey: .distribution)
        }
        countingOverhead = try c.decodeIfPresent(Double.self, forKey: .countingOverhead)
        retakenBatches = try c.decodeIfPresent(Int.self, forKey: .retakenBatches)
        stoppedBy = try c.decodeIfPresent(StopReason.self, forKey: .stoppedBy)
        status = try c.decode(ResultStatus.self, forKey: .status)
        error = try c.decodeIfPresent(String.self, forKey: .error)
        let schema = decoder.userInfo[RunReport.schemaKey] as? String ?? RunReport.schemaVersion
        if c.contains(.figures) {
            figures = schema == "syscost.run/2"
                ? try c.decode([LegacyFigures.Version2].self, forKey: .figures).flatMap { [unit] in $0.figures(unit: unit) }
                : try c.decode([DerivedFigure].self, forKey: .figures)
            counterMetrics = try c.decodeIfPresent([CounterMetric: Double].self, forKey: .counterMetrics)
            warnings = try c.decode([Warning].self, forKey: .warnings)
        } else {
            // syscost.run/1: the same facts under their old keys.
            figures = try LegacyFigures.version1(decoder.container(keyedBy: LegacyFigures.Version1Keys.self))
            counterMetrics = try decoder.container(keyedBy: LegacyKeys.self).decodeIfPresent([CounterMetric: Double].self, forKey: .derived)
            warnings = try c.decode([String].self, forKey: .warnings).map(Warning.init(legacy:))
        }
        suite = id.suite
    }
}

extension Warning {
    /// A `syscost.run/1` warning, "tag: text": the only place a tag is read from a string.
    init(legacy text: String) {
        guard let colon = text.firstIndex(of: ":"), let kind = Kind(rawValue: String(text[..<colon])) else {
            self.init(.other, text)
            return
        }
        self.init(kind, text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces))
    }
}
