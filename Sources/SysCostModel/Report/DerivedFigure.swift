/// A figure computed from several results of one run (a result and its baselines), kept with
/// the result it describes. Which figures a result carries is its suite's business.
public enum DerivedFigure: Codable, Equatable, Sendable {
    /// A vDSO or libc call: the syscall form over this one (2.0: half the cost), paired by
    /// round where the run interleaved.
    case speedupOverSyscall(PairedEstimate)
    /// A ping-pong: the round trip, and the per-switch cost net of the transport's own syscalls.
    case pingPong(SwitchCost)
    /// A pointer chase with a syscall: what the syscall cost the chase beyond its direct cost.
    case indirect(IndirectCost)
    /// An in-run A/B (`RunConfig.ab` says of which knob): ns per op the knob adds, the batch
    /// with it minus the batch without it, round by round.
    case knobCost(PairedEstimate)
}

/// What one switch of a ping-pong costs.
public struct SwitchCost: Codable, Equatable, Sendable {
    /// Two switches.
    public var roundTripNs: Double
    /// The transport's syscalls for one round trip in one task (no switch): subtracted.
    public var transportNs: Double?
    /// (per switch) − (transport per round trip) / 2.
    public var netNsPerSwitch: Double?
    /// The same, round by round, with its interval (nil where the rounds do not pair).
    public var net: PairedEstimate?

    public init(roundTripNs: Double, transportNs: Double?, netNsPerSwitch: Double?, net: PairedEstimate? = nil) {
        self.roundTripNs = roundTripNs; self.transportNs = transportNs; self.netNsPerSwitch = netNsPerSwitch; self.net = net
    }
}

/// What one syscall in the walk cost beyond the walk itself and its own hot-loop cost.
public struct IndirectCost: Codable, Equatable, Sendable {
    /// The walk without the syscall, per iteration.
    public var baselineNs: Double
    /// The syscall alone in a hot loop (syscall suite).
    public var directNs: Double
    /// (walk with syscall) − baseline − direct: the syscall's indirect cost.
    public var extraNs: Double
    /// The same, round by round, with its interval (nil where the rounds do not pair).
    public var extra: PairedEstimate?

    public init(baselineNs: Double, directNs: Double, extraNs: Double, extra: PairedEstimate? = nil) {
        self.baselineNs = baselineNs; self.directNs = directNs; self.extraNs = extraNs; self.extra = extra
    }
}

/// How one benchmark's figure depends on another's, measured in the same run.
public struct Relation: Codable, Hashable, Sendable {
    public enum Role: String, Codable, Sendable {
        /// The same transport's syscalls in one task, no switch (a ping-pong's baseline).
        case transport
        /// The same call made as a raw syscall (a vDSO call's reference).
        case syscallForm = "syscall-form"
        /// The same work without the syscall (a pointer chase's baseline).
        case baseline
        /// The syscall alone in a hot loop (its direct cost).
        case directCost = "direct-cost"
    }
    public var role: Role
    public var id: BenchmarkID

    /// Whether the related benchmark must run whenever this one does (a baseline the figure
    /// subtracts); a syscall form is used when it ran, and not added to a selection.
    public var isRequired: Bool { role != .syscallForm }

    public init(_ role: Role, _ id: BenchmarkID) { self.role = role; self.id = id }
}
