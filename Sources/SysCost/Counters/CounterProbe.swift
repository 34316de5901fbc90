import Foundation
import SysCostModel

/// `syscost counters`: for each name, its encoding and whether this process can count it.
public struct CounterProbe: Codable, Sendable {
    public struct Entry: Codable, Sendable {
        public var name: CounterName
        public var encoding: EventEncoding?
        /// Whether perf_event_open opened it for this process; `note` says what limits the
        /// count, `reason` why it cannot be counted.
        public var counts: Bool
        public var note: String?
        public var reason: String?
    }
    public var access: PerfAccess
    /// /sys/bus/event_source/devices, and of those the CPU's PMUs.
    public var kernelPMUs: [String]
    public var hardwarePMUs: [String]
    /// The PMUs libpfm4 recognised on this CPU (`perf` is its generic one).
    public var libpfmPMUs: [String]
    public var entries: [Entry]

    /// The default set, then the other software events.
    public static let defaultNames: [CounterName] = CounterEvent.defaultNames
        + ["cpu-clock", "cpu-migrations", "minor-faults", "major-faults"].filter { !CounterEvent.defaultNames.contains($0) }

    public static func run(_ names: [CounterName], host: HostSystem = .live) -> CounterProbe {
        let access = PerfAccess.current(host: host)
        let entries = names.map { name -> Entry in
            let encoding: EventEncoding
            do { encoding = try EventEncoder.encode(name.rawValue) } catch {
                return Entry(name: name, encoding: nil, counts: false, note: nil, reason: "unknown name: \(error)")
            }
            let set = CounterSet(events: [CounterEvent(name: name, encoding: encoding)], tasks: [0], access: access, host: host)
            let reason = set.unavailableReason(name)
            return Entry(name: name, encoding: encoding, counts: reason == nil, note: set.note(name), reason: reason)
        }
        let inventory = PMUInventory(host: host)
        return CounterProbe(access: access, kernelPMUs: inventory.all(), hardwarePMUs: inventory.hardwarePMUs(),
                            libpfmPMUs: EventEncoder.activePMUs(), entries: entries)
    }

    public func table() -> String {
        var out = "perf_event_paranoid \(access.paranoid.map(String.init) ?? "missing"), "
            + (access.privileged ? "CAP_PERFMON or CAP_SYS_ADMIN held" : "no CAP_PERFMON") + ": counting \(access.mode.rawValue)\n"
        if let note = access.note { out += "  \(note)\n" }
        out += "kernel PMUs: \(kernelPMUs.joined(separator: ", ")); hardware PMU: "
            + (hardwarePMUs.isEmpty ? "none" : hardwarePMUs.joined(separator: ", ")) + "\n"
        out += "libpfm4 PMUs: \(libpfmPMUs.joined(separator: ", "))\n\n"
        let nameWidth = max(4, entries.map(\.name.rawValue.count).max() ?? 0)
        func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
        out += pad("name", nameWidth) + "  " + pad("encoding", 26) + "  status\n"
        for e in entries {
            let enc = e.encoding.map { e in
                "\(e.kindDescription) " + String(format: "0x%llx", e.config) + (e.kernelOnly ? " k" : e.excludeKernel ? " u" : " u+k")
            } ?? "–"
            let status = e.counts ? "counts" + (e.note.map { ": \($0)" } ?? "") : "unavailable: \(e.reason ?? "")"
            out += pad(e.name.rawValue, nameWidth) + "  " + pad(enc, 26) + "  " + status + "\n"
        }
        return out
    }
}
