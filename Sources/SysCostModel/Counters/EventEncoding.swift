import Foundation

/// An event name as libpfm4 encodes it for perf_event_open: the fields of a
/// `perf_event_attr` that the name decides. `:u` / `:k` on a name pick the mode.
public struct EventEncoding: Codable, Equatable, Sendable {
    public var type: UInt32
    public var config: UInt64
    public var config1: UInt64
    public var config2: UInt64
    public var excludeUser: Bool
    public var excludeKernel: Bool
    public var excludeHv: Bool
    /// libpfm4's fully qualified name, e.g. `perf::PERF_COUNT_HW_CPU_CYCLES:u=1:k=0:…`.
    public var canonical: String

    public static let typeHardware: UInt32 = 0, typeSoftware: UInt32 = 1, typeHardwareCache: UInt32 = 3, typeRaw: UInt32 = 4

    /// Counted by the kernel in software (task-clock, context-switches, page-faults …), so
    /// present on every machine; the others need a hardware PMU.
    public var isSoftware: Bool { type == Self.typeSoftware }
    /// Counts kernel mode only (`cycles:k`).
    public var kernelOnly: Bool { excludeUser && !excludeKernel }

    /// `perf list`'s "Hardware event", "Hardware cache event", "Software event" or "Raw event".
    public var kindDescription: String {
        switch type {
        case Self.typeHardware: return "hardware"
        case Self.typeSoftware: return "software"
        case Self.typeHardwareCache: return "hardware cache"
        case Self.typeRaw: return "raw (PMU-specific)"
        default: return "PMU type \(type)"
        }
    }

    public init(type: UInt32, config: UInt64, config1: UInt64, config2: UInt64, excludeUser: Bool, excludeKernel: Bool, excludeHv: Bool, canonical: String) {
        self.type = type; self.config = config; self.config1 = config1; self.config2 = config2
        self.excludeUser = excludeUser; self.excludeKernel = excludeKernel; self.excludeHv = excludeHv
        self.canonical = canonical
    }
}

/// An event name libpfm4 did not accept, with libpfm4's own message.
public struct EventEncodingError: Error, CustomStringConvertible, Equatable {
    public let name: String
    public let message: String
    public init(name: String, message: String) { self.name = name; self.message = message }
    public var description: String { "'\(name)': libpfm4: \(message)" }
}
