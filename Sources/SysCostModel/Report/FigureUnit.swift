/// What a result's figures count.
public enum FigureUnit: String, Codable, Sendable, CaseIterable {
    /// Nanoseconds per operation (one call, one walk step, one round trip of a baseline).
    case nsPerOp = "ns/op"
    /// Nanoseconds per context switch: a ping-pong's round trip makes two.
    case nsPerSwitch = "ns/switch"

    /// The figure's noun after "ns per": "op" or "switch".
    public var per: String { self == .nsPerOp ? "op" : "switch" }
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
