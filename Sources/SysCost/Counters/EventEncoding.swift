import CPfm
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
}

/// An event name libpfm4 did not accept, with libpfm4's own message.
public struct EventEncodingError: Error, CustomStringConvertible, Equatable {
    public let name: String
    public let message: String
    public var description: String { "'\(name)': libpfm4: \(message)" }
}

/// Turns event names into encodings through libpfm4 (`pfm_get_os_event_encoding`).
public enum EventEncoder {
    private static let lock = NSLock()
    private static var initResult: Int32?

    /// pfm_initialize, once; its result every time after. Call with `lock` held.
    private static func initialise() -> Int32 {
        if let initResult { return initResult }
        let result = pfm_initialize()
        initResult = result
        return result
    }

    /// Encodes `name` for both modes unless it says otherwise (`:u`, `:k`).
    public static func encode(_ name: String) throws -> EventEncoding {
        lock.lock()
        defer { lock.unlock() }
        let initialised = initialise()
        guard initialised == PFM_SUCCESS else {
            throw EventEncodingError(name: name, message: "initialisation failed: " + String(cString: pfm_strerror(initialised)))
        }
        var attr = perf_event_attr()
        var fstr: UnsafeMutablePointer<CChar>?
        var arg = pfm_perf_encode_arg_t()
        let rc: Int32 = withUnsafeMutablePointer(to: &attr) { attrPointer in
            withUnsafeMutablePointer(to: &fstr) { fstrPointer in
                arg.attr = attrPointer
                arg.fstr = fstrPointer
                arg.size = MemoryLayout<pfm_perf_encode_arg_t>.size
                return pfm_get_os_event_encoding(name, Int32(PFM_PLM0 | PFM_PLM3), PFM_OS_PERF_EVENT_EXT, &arg)
            }
        }
        defer { free(fstr) }
        guard rc == PFM_SUCCESS else {
            throw EventEncodingError(name: name, message: String(cString: pfm_strerror(rc)))
        }
        return EventEncoding(type: attr.type, config: attr.config, config1: attr.config1, config2: attr.config2,
                             excludeUser: attr.exclude_user != 0, excludeKernel: attr.exclude_kernel != 0,
                             excludeHv: attr.exclude_hv != 0, canonical: fstr.map { String(cString: $0) } ?? name)
    }

    /// The PMUs libpfm4 found active on this machine (`perf` is its generic one, always there).
    public static func activePMUs() -> [String] {
        lock.lock()
        defer { lock.unlock() }
        guard initialise() == PFM_SUCCESS else { return [] }
        var names: [String] = []
        var pmu = PFM_PMU_NONE.rawValue
        while pmu < PFM_PMU_MAX.rawValue {
            var info = pfm_pmu_info_t()
            info.size = MemoryLayout<pfm_pmu_info_t>.size
            if pfm_get_pmu_info(pfm_pmu_t(rawValue: pmu), &info) == PFM_SUCCESS, info.is_present != 0, let name = info.name {
                names.append(String(cString: name))
            }
            pmu += 1
        }
        return names
    }
}
