import CSysCost
import Foundation
import SysCostModel

/// Every choice a run makes, decided once (from the command line or a test) before anything
/// is measured. `--quick` is a preset, not a flag the runner looks at.
public struct RunPlan: Sendable {
    /// The CPU to pin the measuring thread to (nil: the last allowed one; `run` passes the quietest).
    public var cpu: Int?
    public var repetitions: Int
    public var minBatchTimeMs: Double
    public var interleave: Bool
    public var quick: Bool
    /// The selection as the user wrote it, for the report.
    public var patterns: [String]
    /// Busy time before anything is measured (see `SetupPhase.warmUp`).
    public var warmupMs: Double
    /// Per-call latency distributions: calls timed one by one per benchmark (0: none).
    public var distributionCalls: Int = 0
    /// A seccomp filter installed on the measuring thread before timing.
    public var seccomp: SeccompFilter?
    /// A knob measured with against without in the same run (`--seccomp`, `--speculation`).
    public var ab: ABSetting?
    /// The speculation controls `--speculation` switches (a test's stand-in, or the kernel's).
    public var speculationControl: SpeculationControl = .live
    /// Counters to count per op (`--counters`); a ping-pong's context switches always are.
    public var counters: [CounterEvent] = []
    /// Batches per benchmark that carry the counters, after the timed ones.
    public var countingBatches: Int
    /// How long TSC calibration watches the clock.
    public var tscCalibrationNs: UInt64
    /// How busy the host was when the CPU was chosen (recorded in the report).
    public var hostState: HostState?
    /// Seeds each round's random order (recorded, so a run's order can be repeated).
    public var seed: UInt64 = UInt64(truncatingIfNeeded: sc_clock_raw_ns())
    /// `--time-budget`: take rounds until every median is known to `targetPrecision`, or this
    /// many seconds have passed; `repetitions` is then the most rounds.
    public var timeBudgetSeconds: Double?
    /// The CI half-width, as a share of the median, that ends a benchmark's rounds.
    public var targetPrecision: Double?
    /// Rounds before a benchmark may stop early: below 6 no 95% interval exists.
    public static let minimumRounds = 6
    /// Keep taking rounds (past `repetitions`, up to `maximumSpreadRounds`) until the timed
    /// rounds span this many seconds. A host's slow phases last seconds: a short run lands
    /// in one, while rounds spread over a few seconds meet its fast phases too, which the
    /// undisturbed cost (the 10th percentile) reads. Nil: exactly `repetitions` rounds.
    public var minimumSpanSeconds: Double?
    public static let maximumSpreadRounds = 400

    public struct Preset: Sendable {
        public var repetitions: Int
        public var minBatchTimeMs: Double
        public var countingBatches: Int
        public var tscCalibrationNs: UInt64
        public var minimumSpanSeconds: Double?
    }

    /// 40 rounds: the fewest at which the undisturbed cost (the 10th percentile) has a 95%
    /// order-statistic interval is 36 (below, even the lowest round is above the 10th percentile
    /// more often than 2.5% of the time). Batches of 4 ms keep the default matrix's time where
    /// 15 rounds of 10 ms had it, and more rounds meet more of a host's fast phases.
    public static let standard = Preset(repetitions: 40, minBatchTimeMs: 4, countingBatches: 3, tscCalibrationNs: 20_000_000,
                                        minimumSpanSeconds: 2)
    public static let quickPreset = Preset(repetitions: 5, minBatchTimeMs: 2, countingBatches: 1, tscCalibrationNs: 5_000_000,
                                           minimumSpanSeconds: nil)
    public static let defaultWarmupMs = 200.0

    public init(quick: Bool = false, cpu: Int? = nil, patterns: [String] = [], repetitions: Int? = nil,
                minBatchTimeMs: Double? = nil, warmupMs: Double? = nil, interleave: Bool = true) {
        let preset = quick ? Self.quickPreset : Self.standard
        self.quick = quick; self.cpu = cpu; self.patterns = patterns; self.interleave = interleave
        self.repetitions = repetitions ?? preset.repetitions
        self.minBatchTimeMs = minBatchTimeMs ?? preset.minBatchTimeMs
        self.warmupMs = warmupMs ?? Self.defaultWarmupMs
        countingBatches = preset.countingBatches
        tscCalibrationNs = preset.tscCalibrationNs
        // Rounds the user counted are taken exactly; so are one-at-a-time runs (no rounds to spread).
        minimumSpanSeconds = repetitions == nil && interleave ? preset.minimumSpanSeconds : nil
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
