import Foundation

/// A figure computed from several results of one run (a result and its baselines), kept with
/// the result it describes: a named value, with its interval where it was paired round by
/// round. `syscost.run/3` writes each as `{"kind", "value", "low", "high", "rounds", "unit"}`
/// (docs/report-schema.md, docs/report-schema.json). Which figures a result carries is its
/// suite's business: the suite's descriptor derives them and reads them back as its own types
/// (a ping-pong's `SwitchCost`); the kinds below are the schema's vocabulary.
public struct DerivedFigure: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, CaseIterable, Sendable {
        /// A vDSO or libc call: the syscall form over this one (2.0: half the cost).
        case speedupOverSyscall = "speedup-over-syscall"
        /// A ping-pong: two switches, its op.
        case roundTrip = "round-trip"
        /// A ping-pong: the transport's syscalls for one round trip in one task (no switch).
        case transport
        /// A ping-pong: one switch net of the transport's own syscalls.
        case switchNet = "switch-net"
        /// A pointer chase with a syscall: the chase alone, per iteration.
        case walkBaseline = "walk-baseline"
        /// A pointer chase with a syscall: the syscall alone in a hot loop.
        case directCost = "direct-cost"
        /// A pointer chase with a syscall: what the syscall cost it beyond the two above.
        case indirectCost = "indirect-cost"
        /// A glibc call with a second thread: what the thread adds over the same call single-threaded.
        case secondThreadCost = "second-thread-cost"
        /// An in-run A/B (`config.ab`): what the knob adds, with against without, round by round.
        case knobCost = "knob-cost"
    }

    public enum Unit: String, Codable, CaseIterable, Sendable {
        case ratio
        case nsPerOp = "ns/op"
        case nsPerSwitch = "ns/switch"
        case nsPerRoundTrip = "ns/round-trip"
        /// The same, counted in guest instructions (a run under an instruction clock).
        case insnPerOp = "insn/op"
        case insnPerSwitch = "insn/switch"
        case insnPerRoundTrip = "insn/round-trip"

        /// The same unit counting guest instructions instead of time (a ratio stays one).
        public var inInstructions: Unit {
            switch self {
            case .ratio, .insnPerOp, .insnPerSwitch, .insnPerRoundTrip: return self
            case .nsPerOp: return .insnPerOp
            case .nsPerSwitch: return .insnPerSwitch
            case .nsPerRoundTrip: return .insnPerRoundTrip
            }
        }
    }

    public var kind: Kind
    public var value: Double
    /// The 95% paired-bootstrap interval; absent where the rounds did not pair or were too few.
    public var low: Double?
    public var high: Double?
    /// Rounds paired; absent for a figure that was not paired round by round.
    public var rounds: Int?
    public var unit: Unit

    public init(_ kind: Kind, value: Double, low: Double? = nil, high: Double? = nil, rounds: Int? = nil, unit: Unit) {
        self.kind = kind; self.value = value; self.low = low; self.high = high; self.rounds = rounds; self.unit = unit
    }

    /// A paired estimate as a figure.
    public init(_ kind: Kind, _ estimate: PairedEstimate, unit: Unit) {
        self.init(kind, value: estimate.value, low: estimate.low, high: estimate.high, rounds: estimate.rounds, unit: unit)
    }

    /// The paired estimate where there is one (it carries the value), else the value alone.
    public init(_ kind: Kind, value: Double, paired: PairedEstimate?, unit: Unit) {
        self = paired.map { DerivedFigure(kind, $0, unit: unit) } ?? DerivedFigure(kind, value: value, unit: unit)
    }

    /// The figure as a paired estimate (0 rounds where it was not paired).
    public var estimate: PairedEstimate { PairedEstimate(value: value, low: low, high: high, rounds: rounds ?? 0) }

    /// The estimate only where the figure was paired round by round.
    public var pairedEstimate: PairedEstimate? { rounds == nil ? nil : estimate }
}
