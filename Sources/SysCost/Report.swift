import Foundation

/// A run's report: what was measured, how, where, and the results. Its JSON form is the
/// `syscost.run/1` schema documented in docs/report-schema.md.
public struct RunReport: Codable, Equatable {
    public static let schemaVersion = "syscost.run/1"

    public var schema: String = RunReport.schemaVersion
    public var environment: EnvironmentInfo
    public var config: RunConfig
    public var results: [BenchmarkResult]
    /// True when a signal stopped the run: results hold what was gathered until then.
    public var interrupted: Bool = false

    public init(environment: EnvironmentInfo, config: RunConfig, results: [BenchmarkResult], interrupted: Bool = false) {
        self.environment = environment; self.config = config; self.results = results; self.interrupted = interrupted
    }

    /// Decodes a report, refusing other schemas with a message naming the one found.
    public static func decode(_ data: Data) throws -> RunReport {
        struct Header: Decodable { var schema: String? }
        let header: Header
        do { header = try JSONDecoder().decode(Header.self, from: data) } catch {
            throw SysCostError.invalidReport("not a JSON object: \(error.localizedDescription)")
        }
        guard header.schema == schemaVersion else {
            throw SysCostError.invalidReport("schema is '\(header.schema ?? "missing")', expected '\(schemaVersion)'")
        }
        do { return try JSONDecoder().decode(RunReport.self, from: data) } catch {
            throw SysCostError.invalidReport("malformed \(schemaVersion) report: \(error)")
        }
    }
}

/// How the run was configured.
public struct RunConfig: Codable, Equatable {
    public var patterns: [String]
    public var cpu: Int
    public var repetitions: Int
    public var minBatchTimeMs: Double
    public var interleave: Bool
    public var quick: Bool
    public var warmupMs: Double
    public var startedAt: String
    public var durationSeconds: Double
    /// `--counters`: the names asked for, and what this process was allowed to count.
    public var counters: [String]?
    public var counterAccess: PerfAccess?
    /// Counting batches per benchmark (after the timed ones).
    public var countingBatches: Int?

    public init(patterns: [String], cpu: Int, repetitions: Int, minBatchTimeMs: Double, interleave: Bool,
                quick: Bool, warmupMs: Double, startedAt: String, durationSeconds: Double) {
        self.warmupMs = warmupMs
        self.patterns = patterns; self.cpu = cpu; self.repetitions = repetitions; self.minBatchTimeMs = minBatchTimeMs
        self.interleave = interleave; self.quick = quick; self.startedAt = startedAt; self.durationSeconds = durationSeconds
    }
}

public enum ResultStatus: String, Codable, Sendable {
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
public struct BenchmarkResult: Codable, Equatable {
    public var id: String
    public var suite: String
    public var category: String
    public var description: String
    public var syscallsPerOp: Int
    public var unit: String = "ns/op"
    public var iterationsPerBatch: Int
    /// Per-op cost of the empty loop, already subtracted from `samples`.
    public var overheadNs: Double
    /// Per-repetition ns/op, in the order taken.
    public var samples: [Double]
    public var summary: Summary?
    /// Reference (TSC) cycles per op, not core cycles; absent where the TSC is not invariant.
    public var tscCyclesPerOp: Double?
    /// vdso suite: the syscall variant's median over this one's.
    public var speedupOverSyscall: Double?
    /// ctxswitch suite: the round trip (2 switches), the transport's own cost per round trip
    /// measured without a switch, and the per-switch cost net of it.
    public var roundTripNs: Double?
    public var switchOverheadNs: Double?
    public var netNsPerSwitch: Double?
    /// Counters per op (a ping-pong's op is one round trip): `context-switches`, …
    public var counters: [String: CounterValue]?
    /// Figures computed from counters when their inputs are `ok`: `ipc:u`, `ipc:k`, `ipc`,
    /// `kernel-cycle-share`.
    public var derived: [String: Double]?
    /// Counters run in batches of their own: how much slower those batches ran than the
    /// timed median (0.05: 5% slower), which is what counting costs the benchmark.
    public var countingOverhead: Double?
    /// indirect suite: what the syscall cost the walk beyond its direct cost.
    public var indirect: IndirectCost?
    /// Per-call latencies, with `run --distribution`.
    public var distribution: Distribution?
    public var warnings: [String]
    public var status: ResultStatus
    /// Why a failed result failed.
    public var error: String?

    public init(id: String, suite: String, category: String, description: String, syscallsPerOp: Int,
                iterationsPerBatch: Int, overheadNs: Double, samples: [Double], summary: Summary?,
                tscCyclesPerOp: Double?, warnings: [String], status: ResultStatus, error: String? = nil) {
        self.id = id; self.suite = suite; self.category = category; self.description = description
        self.syscallsPerOp = syscallsPerOp; self.iterationsPerBatch = iterationsPerBatch; self.overheadNs = overheadNs
        self.samples = samples; self.summary = summary; self.tscCyclesPerOp = tscCyclesPerOp
        self.warnings = warnings; self.status = status; self.error = error
    }
}
