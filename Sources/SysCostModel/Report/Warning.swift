/// Something a reader of a result must know before trusting its figure.
public struct Warning: Codable, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// The samples' CV exceeds the run's limit.
        case noisy
        /// Too many samples far from the median.
        case outliers
        /// Fewer repetitions than asked: a signal stopped the run.
        case interrupted
        /// The vDSO path costs about what the syscall does: the clocksource is not readable
        /// from user space.
        case vdsoFallback = "vdso-fallback"
        /// A same-CPU ping-pong did not count two switches per round trip.
        case switchCount = "switch-count"
        /// A derived figure is no larger than the noise of its inputs.
        case withinNoise = "within-noise"
        /// Batches the scheduler preempted in every try were kept.
        case preempted
        /// The time budget ran out before the median was known to the target precision.
        case imprecise
        /// Per-call timing was asked for and could not be done.
        case noDistribution = "no-distribution"
        /// A `*/libc` figure timed in a process that had had a second thread (glibc's longer path).
        case multiThreaded = "multi-threaded"
        /// Anything a report of an older syscost said that this one does not know.
        case other
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) { self.kind = kind; self.message = message }

    /// `tag: message`, as the terminal shows it.
    public var description: String { "\(kind.rawValue): \(message)" }

    /// What each kind means, for the lines under a table.
    public var explanation: String { kind.explanation }
}

extension Warning.Kind {
    public var explanation: String {
        switch self {
        case .noisy: return "noisy = the samples' CV is above the run's limit"
        case .outliers: return "outliers = over 10% of samples beyond 3 MADs (and 1%) of the median"
        case .interrupted: return "interrupted = fewer repetitions than asked"
        case .vdsoFallback: return "vdso-fallback = the vDSO path costs about what the syscall does (clocksource not readable from user space)"
        case .switchCount: return "switch-count = a same-CPU ping-pong did not count 2 switches per round trip"
        case .withinNoise: return "within-noise = a derived figure is inside its inputs' noise"
        case .noDistribution: return "no-distribution = per-call timing was not possible"
        case .preempted: return "preempted = another task took the CPU during some batches in every retry"
        case .imprecise: return "imprecise = the time budget ran out before the median was known to --target-precision"
        case .multiThreaded: return "multi-threaded = a libc figure timed in a process that has had a second thread"
        case .other: return "other = a warning from another syscost version"
        }
    }
}

extension Warning.Kind {
    /// What a warning that every result of a run carries means for that run's figures: the
    /// terminal says it once above the table instead of on every row.
    public var whenEveryResultHasIt: String {
        switch self {
        case .noisy, .outliers, .preempted:
            return "the host disturbed every benchmark in some rounds (noise only adds time): read the p10 column, the undisturbed cost, not the median, and take differences only from the paired lines above"
        case .imprecise: return "no median reached the target precision in the time budget: give more time, or read the intervals"
        default: return "it applies to every figure below"
        }
    }
}

