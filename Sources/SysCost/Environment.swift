import CSysCost
import Foundation

/// Where a run happened: everything that can move a syscall's cost between two runs.
public struct EnvironmentInfo: Codable, Equatable {
    public var hostname: String
    public var kernel: Kernel
    public var cpu: CPU
    public var cpus: CPUs
    /// /sys/devices/system/cpu/vulnerabilities: file name → its line.
    public var vulnerabilities: [String: String]
    public var clocksource: String?
    public var tsc: TSC
    public var cpufreq: CPUFreq
    public var hypervisor: Hypervisor
    public var seccomp: Seccomp
    public var perfEventParanoid: Int?
    public var glibc: String
    public var swift: String
    public var syscost: Version
    /// True when the CPU is emulated (QEMU's TCG: CPUID signature "TCGTCGTCGTCG", or
    /// SYSCOST_EMULATED=1 from the kernel-matrix runner): the timings are not the hardware's.
    public var emulated: Bool?

    public struct Kernel: Codable, Equatable { public var release, version, cmdline: String }
    public struct CPU: Codable, Equatable {
        public var vendor, modelName: String
        public var family, model, stepping: Int?
        public var microcode: String?
    }
    public struct CPUs: Codable, Equatable {
        public var online: String
        public var allowed: String
        /// /sys/devices/system/cpu/smt/control ("on", "off", "notsupported", …).
        public var smt: String?
    }
    public struct TSC: Codable, Equatable {
        /// x86 flags that make the TSC a usable clock: constant_tsc, nonstop_tsc, tsc_known_freq, rdtscp.
        public var flags: [String]
        public var invariant: Bool
        /// TSC ticks per second, calibrated against CLOCK_MONOTONIC_RAW for this run.
        public var frequencyHz: Double?
        public var calibratedAgainst: String?
    }
    public struct CPUFreq: Codable, Equatable {
        public var governor: String?
        public var boost: String?
    }
    public struct Hypervisor: Codable, Equatable {
        /// CPUID.1:ECX bit 31.
        public var present: Bool
        /// CPUID leaf 0x40000000 vendor signature ("KVMKVMKVM", "Microsoft Hv", …).
        public var vendor: String?
    }
    public struct Seccomp: Codable, Equatable {
        /// 0 disabled, 1 strict, 2 filter, of the measuring thread (/proc/thread-self/status).
        public var mode: Int?
        public var filters: Int?
        /// The filter `run --seccomp` installed, and what it cost getppid.
        public var installed: SeccompInstalled?
    }
    public struct SeccompInstalled: Codable, Equatable {
        public var spec: String
        /// `argument-reading` (runs on every call), `number-only` (cached by Linux ≥ 5.11),
        /// `docker-like`.
        public var kind: String
        public var instructions: Int
        public var getppidBeforeNs: Double
        public var getppidAfterNs: Double
        public var costPerCallNs: Double
        /// For argument-reading filters, which run every instruction on every call: the slope
        /// between filters of 2 and 4096 instructions, each measured in a forked child.
        public var costPerInstructionNs: Double?
        public var slope: SeccompSlope?
    }
    public struct Version: Codable, Equatable {
        public var version: String
        public var commit: String?
    }
}

public enum EnvironmentCapture {
    public static let syscostVersion = "0.1.0"

    public static func capture(tscFrequencyHz: Double? = nil) -> EnvironmentInfo {
        let cpuinfo = CPUInfo(read("/proc/cpuinfo") ?? "")
        let status = keyValues(read("/proc/thread-self/status") ?? read("/proc/self/status") ?? "")
        var u = utsname()
        uname(&u)
        let tscFlags = ["constant_tsc", "nonstop_tsc", "tsc_known_freq", "rdtscp"].filter(cpuinfo.flags.contains)
        let invariant = cpuinfo.flags.contains("constant_tsc") && cpuinfo.flags.contains("nonstop_tsc")
        return EnvironmentInfo(
            hostname: field(u.nodename),
            kernel: .init(release: field(u.release), version: field(u.version),
                          cmdline: read("/proc/cmdline")?.trimmed ?? ""),
            cpu: .init(vendor: cpuinfo["vendor_id"] ?? cpuinfo["CPU implementer"] ?? "unknown",
                       modelName: cpuinfo["model name"] ?? cpuinfo["CPU part"] ?? "unknown",
                       family: cpuinfo["cpu family"].flatMap { Int($0) }, model: cpuinfo["model"].flatMap { Int($0) },
                       stepping: cpuinfo["stepping"].flatMap { Int($0) }, microcode: cpuinfo["microcode"]),
            cpus: .init(online: read("/sys/devices/system/cpu/online")?.trimmed ?? "unknown",
                        allowed: CPUSet.describe(CPUSet.allowed()),
                        smt: read("/sys/devices/system/cpu/smt/control")?.trimmed),
            vulnerabilities: vulnerabilities(),
            clocksource: currentClocksource(),
            tsc: .init(flags: tscFlags, invariant: invariant, frequencyHz: tscFrequencyHz,
                       calibratedAgainst: tscFrequencyHz == nil ? nil : "CLOCK_MONOTONIC_RAW"),
            cpufreq: .init(governor: read("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor")?.trimmed,
                           boost: (read("/sys/devices/system/cpu/cpufreq/boost")
                                   ?? read("/sys/devices/system/cpu/intel_pstate/no_turbo").map { $0.trimmed == "1" ? "0" : "1" })?.trimmed),
            hypervisor: hypervisor(flags: cpuinfo.flags),
            seccomp: .init(mode: status["Seccomp"].flatMap { Int($0) }, filters: status["Seccomp_filters"].flatMap { Int($0) }),
            perfEventParanoid: read("/proc/sys/kernel/perf_event_paranoid").flatMap { Int($0.trimmed) },
            glibc: String(cString: gnu_get_libc_version()),
            swift: swiftVersion,
            syscost: .init(version: syscostVersion, commit: gitCommit()),
            emulated: isEmulated(hypervisor: hypervisor(flags: cpuinfo.flags)))
    }

    static func isEmulated(hypervisor: EnvironmentInfo.Hypervisor) -> Bool {
        hypervisor.vendor == "TCGTCGTCGTCG" || ProcessInfo.processInfo.environment["SYSCOST_EMULATED"] == "1"
    }

    public static func currentClocksource() -> String? {
        read("/sys/devices/system/clocksource/clocksource0/current_clocksource")?.trimmed
    }

    static func vulnerabilities() -> [String: String] {
        let dir = "/sys/devices/system/cpu/vulnerabilities"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        var out: [String: String] = [:]
        for name in names { out[name] = read("\(dir)/\(name)")?.trimmed }
        return out
    }

    static func hypervisor(flags: Set<String>) -> EnvironmentInfo.Hypervisor {
        var a: UInt32 = 0, b: UInt32 = 0, c: UInt32 = 0, d: UInt32 = 0
        var present = flags.contains("hypervisor")
        if sc_cpuid(1, &a, &b, &c, &d) != 0 { present = present || (c >> 31) & 1 == 1 }
        guard present, sc_cpuid(0x4000_0000, &a, &b, &c, &d) != 0 else { return .init(present: present, vendor: nil) }
        let bytes = [b, c, d].flatMap { word in (0..<4).map { UInt8(truncatingIfNeeded: word >> (8 * $0)) } }
        let vendor = String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self).trimmed
        return .init(present: present, vendor: vendor.isEmpty ? nil : vendor)
    }

    static var swiftVersion: String {
        #if compiler(>=6.4)
        return "6.4 or later"
        #elseif compiler(>=6.3)
        return "6.3"
        #elseif compiler(>=6.2)
        return "6.2"
        #elseif compiler(>=6.1)
        return "6.1"
        #else
        return "6.0"
        #endif
    }

    /// The commit of the checkout this binary was built from, with "-dirty" when it had changes.
    static func gitCommit() -> String? {
        let sourceDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path
        guard FileManager.default.fileExists(atPath: sourceDir),
              let head = run(["git", "-C", sourceDir, "rev-parse", "--short=12", "HEAD"]) else { return nil }
        let dirty = run(["git", "-C", sourceDir, "status", "--porcelain", "--untracked-files=no"]).map { !$0.isEmpty } ?? false
        return dirty ? head + "-dirty" : head
    }

    private static func run(_ args: [String]) -> String? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { return nil }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).trimmed
    }

    static func read(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }

    private static func field<T>(_ tuple: T) -> String {
        withUnsafeBytes(of: tuple) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }

    static func keyValues(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces)
            if out[key] == nil { out[key] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces) }
        }
        return out
    }

    /// The first processor's block of /proc/cpuinfo.
    struct CPUInfo {
        let fields: [String: String]
        let flags: Set<String>
        init(_ text: String) {
            let first = text.components(separatedBy: "\n\n").first ?? ""
            fields = EnvironmentCapture.keyValues(first)
            flags = Set((fields["flags"] ?? fields["Features"] ?? "").split(separator: " ").map(String.init))
        }
        subscript(key: String) -> String? { fields[key] }
    }
}

extension String {
    var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}
