import CSysCost
import Foundation
import SysCostModel

/// Every choice a run makes, decided once (from the command line or a test) before anything
/// is measured: its `RunSettings` (read and written as this type's own fields: `plan.repetitions`),
/// which the report records as they are, and beside them the runtime objects that carry them
/// out, which it does not (a filter, encoded counters, the host's state, a test's stand-ins).
@dynamicMemberLookup
public struct RunPlan: Sendable {
    public var settings: RunSettings
    /// The CPU to pin the measuring thread to (nil: the last allowed one; `run` passes the quietest).
    public var cpu: Int?
    /// Per-call latency distributions: calls timed one by one per benchmark (0: none).
    public var distributionCalls: Int = 0
    /// A seccomp filter installed on the measuring thread before timing (the report's
    /// environment records it).
    public var seccomp: SeccompFilter?
    /// A knob measured with against without in the same run (`--seccomp`, `--speculation`);
    /// the report records its knob.
    public var ab: ABSetting?
    /// The speculation controls `--speculation` switches (a test's stand-in, or the kernel's).
    public var speculationControl: SpeculationControl = .live
    /// Counters to count per op (`--counters`), encoded; a ping-pong's context switches always
    /// are. The report records their names, and the counting batches.
    public var counters: [CounterEvent] = []
    /// Batches per benchmark that carry the counters, after the timed ones (a ping-pong's
    /// switches are counted in them with no counter asked for).
    public var countingBatches: Int
    /// How long TSC calibration watches the clock.
    public var tscCalibrationNs: UInt64
    /// How busy the host was when the CPU was chosen (recorded in the report's environment).
    public var hostState: HostState?
    /// Seeds each round's random order.
    public var seed: UInt64 {
        get { settings.seed ?? 0 }
        set { settings.seed = newValue }
    }
    /// Rounds before a benchmark may stop early: below 6 no 95% interval exists.
    public static let minimumRounds = 6
    /// The most rounds `minimumSpanSeconds` may take.
    public static let maximumSpreadRounds = 400

    /// The settings as the report records them, with what the runtime objects stand for
    /// (the A/B knob, the counters' names and batches).
    public var recorded: RunSettings {
        var s = settings
        s.ab = ab?.knob
        s.counters = counters.map(\.name)
        s.countingBatches = countingBatches
        return s.recorded
    }

    public subscript<T>(dynamicMember field: WritableKeyPath<RunSettings, T>) -> T {
        get { settings[keyPath: field] }
        set { settings[keyPath: field] = newValue }
    }

    public init(settings: RunSettings, cpu: Int? = nil) {
        let preset = settings.quick ? RunSettings.quickPreset : RunSettings.standard
        self.settings = settings
        self.cpu = cpu
        countingBatches = preset.countingBatches
        tscCalibrationNs = preset.tscCalibrationNs
        if self.settings.seed == nil { self.settings.seed = UInt64(truncatingIfNeeded: sc_clock_raw_ns()) }
    }

    public init(quick: Bool = false, cpu: Int? = nil, patterns: [String] = [], repetitions: Int? = nil,
                minBatchTimeMs: Double? = nil, warmupMs: Double? = nil, interleave: Bool = true) {
        self.init(settings: RunSettings(quick: quick, patterns: patterns, repetitions: repetitions, minBatchTimeMs: minBatchTimeMs,
                                        warmupMs: warmupMs, interleave: interleave), cpu: cpu)
    }
}

/// An in-run A/B, as the runner needs it.
public enum ABSetting: Sendable {
    /// A filter installed in a forked twin on the same CPU.
    case seccomp(SeccompFilter)
    /// A speculation control switched off around every other batch of the measuring thread.
    case speculation(SpeculationKnob)

    /// What the report records.
    public var knob: ABKnob {
        switch self {
        case .seccomp(let filter): return .seccomp(filter.description)
        case .speculation(let knob): return .speculation(knob)
        }
    }
}

/// What the runner tells about its progress: after every timed batch.
public struct RunProgress: Sendable {
    public var done: Int
    public var total: Int
    public var id: BenchmarkID
    public var etaSeconds: Double
    /// Rounds complete (every benchmark timed once more), of `rounds` (0: open, a time budget decides).
    public var round: Int
    public var rounds: Int
    /// `rounds` is the least: more follow until the rounds span `RunPlan.minimumSpanSeconds`.
    public var atLeast: Bool
}

/// Where a run is: said once as each phase begins.
public enum RunPhase: Sendable {
    /// Keeping the pinned CPU busy before anything is measured (a stop ends it at once).
    case warmingUp(milliseconds: Double)
    /// Checking each benchmark against libc and calibrating its batch.
    case preparing(benchmarks: Int)
    /// Timing rounds of batches on the pinned CPU (at least `rounds`, spread over at least
    /// `spanSeconds` when that is given).
    case measuring(benchmarks: Int, rounds: Int, spanSeconds: Double?, cpu: Int)
    /// Counting events in batches of their own.
    case counting
    /// Timing single calls.
    case timingSingleCalls
}
