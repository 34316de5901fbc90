/// What a result's figures count.
public enum FigureUnit: String, Codable, Sendable, CaseIterable {
    /// Nanoseconds per operation (one call, one walk step, one round trip of a baseline).
    case nsPerOp = "ns/op"
    /// Nanoseconds per context switch: a ping-pong's round trip makes two.
    case nsPerSwitch = "ns/switch"
    /// Guest instructions per operation or per switch: a run under an instruction clock.
    case insnPerOp = "insn/op"
    case insnPerSwitch = "insn/switch"

    /// The figure's noun after "ns per": "op" or "switch".
    public var per: String { self == .nsPerOp || self == .insnPerOp ? "op" : "switch" }
    public var isPerSwitch: Bool { per == "switch" }
    public var counted: Counted { self == .insnPerOp || self == .insnPerSwitch ? .guestInstructions : .nanoseconds }

    /// The same figure counted as `counted` says.
    public func counting(_ counted: Counted) -> FigureUnit {
        switch counted {
        case .nanoseconds: return isPerSwitch ? .nsPerSwitch : .nsPerOp
        case .guestInstructions: return isPerSwitch ? .insnPerSwitch : .insnPerOp
        }
    }
}

/// The six categories of system calls of the operating-systems textbooks.
public enum Category: String, Codable, CaseIterable, Sendable {
    case processControl = "process-control"
    case fileManagement = "file-management"
    case deviceManagement = "device-management"
    case informationMaintenance = "information-maintenance"
    case communication
    case protection
}
