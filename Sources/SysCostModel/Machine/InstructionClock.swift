/// A guest whose clock counts its own instructions: qemu's `-icount shift=0,sleep=off`
/// advances the guest's virtual clock (and its TSC) one nanosecond per guest instruction, and
/// jumps over idle time. A figure timed inside such a guest is an instruction count: the host's
/// load does not reach it, and any host that emulates the same CPU model gets the same count.
/// It prices no instruction (a CR3 write, an MSR write or a serialising instruction counts as
/// one, whatever it costs on hardware): it shows which code paths grew, never what they cost.
public struct InstructionClock: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, CaseIterable, Sendable {
        /// QEMU TCG with `-icount`.
        case qemuIcount = "qemu-icount"
    }

    public var kind: Kind
    /// log2 of virtual nanoseconds per instruction. Only 0 is taken: one ns is one instruction.
    public var shift: Int
    /// qemu's `-cpu` model: which mitigations a guest kernel applies depends on it.
    public var cpuModel: String

    public init(kind: Kind = .qemuIcount, shift: Int = 0, cpuModel: String) {
        self.kind = kind; self.shift = shift; self.cpuModel = cpuModel
    }

    /// The machine such a run is of, whichever host emulated it: "qemu icount, cpu max".
    public var machineName: String { "qemu icount, cpu \(cpuModel)" }

    /// A CPU model as qemu's `-cpu` takes it: a name and `+`/`-`/`=` feature flags, bounded.
    public static func isModelName(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, (1...100).contains(s.unicodeScalars.count),
              first.isASCII, first.properties.isAlphabetic || ("0"..."9").contains(Character(first)) else { return false }
        return s.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains(Character($0)) || "._,+=-".unicodeScalars.contains($0)) }
    }

    /// Why a clock read from a report is not one syscost made, or nil.
    public var malformed: String? {
        if shift != 0 { return "an instruction clock with shift \(shift) (only 0, one ns an instruction, is made)" }
        if !Self.isModelName(cpuModel) { return "an instruction clock's CPU model is not a qemu model name" }
        return nil
    }
}

/// What a run's figures count: time, or (under an instruction clock) guest instructions. Every
/// renderer asks it for its words, so an icount run never reads as nanoseconds.
public enum Counted: String, Codable, Sendable, CaseIterable {
    case nanoseconds
    case guestInstructions = "guest-instructions"

    /// The unit word after a figure: "ns" or "insn".
    public var word: String { self == .nanoseconds ? "ns" : "insn" }
    /// The unit said in full: "nanoseconds" or "guest instructions".
    public var noun: String { self == .nanoseconds ? "nanoseconds" : "guest instructions" }

    public init(_ clock: InstructionClock?) { self = clock == nil ? .nanoseconds : .guestInstructions }

    /// A figure of thousands with its unit: time in microseconds ("12.3 µs"), instructions
    /// as they are ("12345 insn").
    public func large(_ value: Double) -> String {
        self == .nanoseconds ? Format.us(value) + " µs" : Format.ns(value) + " insn"
    }
}
