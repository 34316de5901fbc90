import Foundation

/// What makes two runs the same machine's: the CPU, how many of them, the hypervisor, the
/// memory, the hostname and (where it exists) /etc/machine-id. Hostnames repeat (every VM here
/// is `vm`), so a hostname alone never says two runs are comparable.
public struct MachineFingerprint: Codable, Equatable, Sendable {
    public var cpuVendor: String
    public var cpuFamily: Int?
    public var cpuModel: Int?
    public var cpuStepping: Int?
    public var cpuModelName: String
    /// Not part of the identity (an update changes it on the same machine); shown beside it.
    public var microcode: String?
    public var logicalCPUs: Int?
    public var smt: String?
    /// The hypervisor's CPUID signature, "none" on bare metal.
    public var hypervisor: String
    public var memoryBytes: UInt64?
    public var hostname: String
    /// The first 8 hex digits of FNV-1a over /etc/machine-id: tells machines apart without
    /// putting the id itself in a report that travels.
    public var machineIDHash: String?
    /// QEMU TCG: an emulated CPU is never the same machine as hardware.
    public var emulated: Bool
    /// For an emulated CPU, the machine that emulated it ("AMD EPYC · vm · vm-c52dc804": its
    /// CPU, hostname and key, as `scripts/kernel-matrix.sh` hands them to the guest). TCG's
    /// speed is the host's, and the guest alone cannot tell two hosts apart.
    public var emulatingHost: String?
    /// Under an instruction clock, the machine's name ("qemu icount, cpu max"): then the
    /// figures do not depend on the host, and the emulating host is no part of the identity.
    public var instructionClock: String?

    public init(cpuVendor: String, cpuFamily: Int?, cpuModel: Int?, cpuStepping: Int?, cpuModelName: String,
                microcode: String?, logicalCPUs: Int?, smt: String?, hypervisor: String, memoryBytes: UInt64?,
                hostname: String, machineIDHash: String?, emulated: Bool) {
        self.cpuVendor = cpuVendor; self.cpuFamily = cpuFamily; self.cpuModel = cpuModel; self.cpuStepping = cpuStepping
        self.cpuModelName = cpuModelName; self.microcode = microcode; self.logicalCPUs = logicalCPUs; self.smt = smt
        self.hypervisor = hypervisor; self.memoryBytes = memoryBytes; self.hostname = hostname
        self.machineIDHash = machineIDHash; self.emulated = emulated
    }

    /// What a report made before fingerprints were recorded says of its machine.
    public init(derivedFrom env: EnvironmentInfo) {
        self.init(cpuVendor: env.cpu.vendor, cpuFamily: env.cpu.family, cpuModel: env.cpu.model,
                  cpuStepping: env.cpu.stepping, cpuModelName: env.cpu.modelName, microcode: env.cpu.microcode,
                  logicalCPUs: CPUList.count(env.cpus.online), smt: env.cpus.smt,
                  hypervisor: env.hypervisor.present ? env.hypervisor.vendor ?? "unknown" : "none",
                  memoryBytes: nil, hostname: env.hostname, machineIDHash: nil, emulated: env.emulated == true)
        instructionClock = env.instructionClock?.machineName
    }

    /// The fields that identify the machine, as (name, value); nil where the report did not
    /// record one.
    var identity: [(field: String, value: String?)] {
        [("CPU vendor", cpuVendor), ("CPU model name", cpuModelName),
         ("CPU family/model/stepping", [cpuFamily, cpuModel, cpuStepping].map { $0.map(String.init) ?? "?" }.joined(separator: "/")),
         ("logical CPUs", logicalCPUs.map(String.init)), ("SMT", smt), ("hypervisor", hypervisor),
         ("memory", memoryBytes.map(Self.memoryIdentity)), ("hostname", hostname), ("machine-id", machineIDHash),
         ("CPU kind", emulated ? "emulated (QEMU TCG)" : "hardware"),
         // An instruction count is the same on every host: the host that emulated it is shown,
         // never part of the machine.
         ("emulating host", instructionClock == nil ? emulatingHost : nil), ("clock", instructionClock)]
    }

    /// Memory as a machine's identity: MemTotal rounded up to whole GiB. MemTotal is what is
    /// left after the kernel's own reservations, so it moves with the kernel on one machine
    /// (a 2 GiB guest: 1,978 MiB under 6.1, 1,973 MiB under 6.12), and a kernel matrix is
    /// exactly runs of several kernels on one machine.
    static func memoryIdentity(_ bytes: UInt64) -> String {
        "\((bytes + (1 << 30) - 1) >> 30) GiB"
    }

    /// Where two fingerprints disagree: a field unknown on either side is no disagreement
    /// (a report from before fingerprints still matches its own machine).
    public func differences(from other: MachineFingerprint) -> [EnvironmentDifference] {
        zip(identity, other.identity).compactMap { a, b in
            guard let x = a.value, let y = b.value, x != y else { return nil }
            return EnvironmentDifference(field: a.field, base: x, new: y)
        }
    }

    /// A short name for the machine: its hostname (as a file name allows) and 8 hex digits of
    /// everything that identifies it. Two machines with one hostname get two keys.
    public var key: MachineKey {
        // An emulating host is in the key only where one was recorded: every other key stays as it was.
        let identityText = identity.filter { ($0.field != "emulating host" && $0.field != "clock") || $0.value != nil }
            .map { "\($0.field)=\($0.value ?? "")" }.joined(separator: "\n")
        return MachineKey(rawValue: MachineKey.sanitize(hostname) + "-" + FNV1a.hex(identityText, digits: 8))
    }
}

/// A machine's folder name under a results tree: `<hostname>-<8 hex digits>`. Made only of
/// letters, digits, `.`, `_` and `-`, never `.` or `..`, so it stays inside its folder.
public struct MachineKey: RawRepresentable, Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
    public static func < (a: MachineKey, b: MachineKey) -> Bool { a.rawValue < b.rawValue }

    static func sanitize(_ s: String) -> String {
        let kept = String(s.unicodeScalars.map { c -> Character in
            CharacterSet.alphanumerics.contains(c) && c.isASCII || c == "." || c == "_" || c == "-" ? Character(c) : "_"
        }.drop { $0 == "." || $0 == "-" }.prefix(32))
        return kept.isEmpty ? "host" : kept
    }
}

/// 64-bit FNV-1a: a short, stable, dependency-free digest for names (not for secrecy).
public enum FNV1a {
    public static func hash(_ text: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return h
    }

    public static func hex(_ text: String, digits: Int) -> String {
        String(String(hash(text), radix: 16).leftPadded(to: 16).suffix(digits))
    }
}

/// `0-3,6` CPU lists, as /sys writes them and reports keep them: kept as ranges, never
/// expanded blindly (a report from elsewhere may say `0-3000000000`).
public enum CPUList {
    /// The highest CPU number a list may name (Linux's NR_CPUS is at most 8,192) and how many
    /// ranges it may hold.
    public static let maxCPU = 65_535
    public static let maxRanges = 4_096

    /// The list's ranges, in its order; nil for a list that is not one (`3-1`, `x`, a CPU above
    /// `maxCPU`, more than `maxRanges` ranges). An empty list has none.
    public static func ranges(_ list: String) -> [ClosedRange<Int>]? {
        let text = list.trimmed
        guard !text.isEmpty else { return [] }
        var out: [ClosedRange<Int>] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard out.count < maxRanges else { return nil }
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false)
            guard (1...2).contains(bounds.count), bounds.allSatisfy({ !$0.isEmpty && $0.count <= 6 && $0.allSatisfy(\.isASCII) }),
                  let low = Int(bounds[0]), let high = Int(bounds[bounds.count - 1]), 0 <= low, low <= high, high <= maxCPU else { return nil }
            out.append(low...high)
        }
        return out
    }

    /// The CPUs a list names, ascending and once each; empty for an empty or malformed list.
    public static func members(_ list: String) -> [Int] {
        Array(Set((ranges(list) ?? []).flatMap { Array($0) })).sorted()
    }

    /// How many CPUs a list names (overlaps counted once), without expanding it; nil when it
    /// names none or is malformed.
    public static func count(_ list: String) -> Int? {
        guard let ranges = ranges(list)?.sorted(by: { $0.lowerBound < $1.lowerBound }), !ranges.isEmpty else { return nil }
        var n = 0, next = Int.min
        for r in ranges where r.upperBound >= next {
            n += r.upperBound - max(r.lowerBound, next) + 1
            next = r.upperBound + 1
        }
        return n
    }
}

extension String {
    func leftPadded(to width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
