import CPfm
import Foundation
import SysCostModel

/// Turns event names into encodings through libpfm4 (`pfm_get_os_event_encoding`).
public enum EventEncoder {
    /// libpfm4 keeps global state: one call into it at a time.
    private static let lock = NSLock()
    /// pfm_initialize's result: a static let runs it once, on first use.
    private static let initResult: Int32 = pfm_initialize()

    private static func initialise() -> Int32 { initResult }

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
