/// What a run was asked to do: the one settings type. `syscost run`'s options produce it
/// (`MeasureOptions.plan`), the runner takes it inside its `RunPlan` (beside the runtime
/// objects that carry it out: the seccomp filter, the counters' encodings, the host's state),
/// and the report records it inside its `RunConfig`, field for field, under the same JSON keys.
/// `--quick` is a preset of its numbers, not a field the runner looks at.
public struct RunSettings: Codable, Equatable, Sendable {
    /// The selection as the user wrote it.
    public var patterns: [String]
    public var quick: Bool
    /// Rounds: exactly this many, at least this many (`minimumSpanSeconds`), or at most this
    /// many (`timeBudgetSeconds`).
    public var repetitions: Int
    /// A timed batch lasts at least this long.
    public var minBatchTimeMs: Double
    /// Rounds of every benchmark in a random order (false: each benchmark's rounds in a row).
    public var interleave: Bool
    /// Busy time before anything is measured.
    public var warmupMs: Double
    /// Seeds each round's random order (interleaved runs), so a run's order can be repeated.
    public var seed: UInt64?
    /// `--time-budget`: rounds until every median is known to `targetPrecision` (a share of
    /// the median), or this many seconds have passed.
    public var timeBudgetSeconds: Double?
    public var targetPrecision: Double?
    /// Rounds go on past `repetitions` until they span this many seconds (nil: exactly
    /// `repetitions`; never with a time budget).
    public var minimumSpanSeconds: Double?
    /// `--counters`: the names asked for, and the counting batches per benchmark after the
    /// timed ones.
    public var counters: [CounterName]?
    public var countingBatches: Int?
    /// The knob measured with against without in the run (`--seccomp`, `--speculation`).
    public var ab: ABKnob?

    public init(patterns: [String] = [], quick: Bool = false, repetitions: Int, minBatchTimeMs: Double,
                interleave: Bool = true, warmupMs: Double) {
        self.patterns = patterns; self.quick = quick; self.repetitions = repetitions
        self.minBatchTimeMs = minBatchTimeMs; self.interleave = interleave; self.warmupMs = warmupMs
    }

    /// The numbers a preset sets when the user did not.
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

    /// The settings a preset gives, with what the user told in place of its numbers.
    public init(quick: Bool, patterns: [String] = [], repetitions: Int? = nil, minBatchTimeMs: Double? = nil,
                warmupMs: Double? = nil, interleave: Bool = true) {
        let preset = quick ? Self.quickPreset : Self.standard
        self.init(patterns: patterns, quick: quick, repetitions: repetitions ?? preset.repetitions,
                  minBatchTimeMs: minBatchTimeMs ?? preset.minBatchTimeMs, interleave: interleave,
                  warmupMs: warmupMs ?? Self.defaultWarmupMs)
        // Rounds the user counted are taken exactly; so are one-at-a-time runs (no rounds to spread).
        minimumSpanSeconds = repetitions == nil && interleave ? preset.minimumSpanSeconds : nil
    }

    /// What a report records of them: a field only where it had an effect (a seed only for
    /// an interleaved run, a precision only with a budget, a span only without one and only
    /// interleaved, counting batches only with counters).
    public var recorded: RunSettings {
        var r = self
        if !interleave { r.seed = nil }
        if timeBudgetSeconds == nil { r.targetPrecision = nil }
        if timeBudgetSeconds != nil || !interleave { r.minimumSpanSeconds = nil }
        if (counters ?? []).isEmpty { r.counters = nil; r.countingBatches = nil }
        return r
    }
}
