import CSysCost
import Foundation
import SysCostModel

public enum EnvironmentCapture {
    public static let syscostVersion = "0.1.0"

    public static func capture(tscFrequencyHz: Double? = nil, host: HostSystem = .live) -> EnvironmentInfo {
        let read = host.read
        let cpuinfo = CPUInfo(read("/proc/cpuinfo") ?? "")
        let status = keyValues(read("/proc/thread-self/status") ?? read("/proc/self/status") ?? "")
        var u = utsname()
        uname(&u)
        let tscFlags = ["constant_tsc", "nonstop_tsc", "tsc_known_freq", "rdtscp"].filter(cpuinfo.flags.contains)
        let invariant = cpuinfo.flags.contains("constant_tsc") && cpuinfo.flags.contains("nonstop_tsc")
        var env = EnvironmentInfo(
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
            vulnerabilities: vulnerabilities(host),
            clocksource: currentClocksource(host),
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
        env.instructionClock = instructionClock(emulated: env.emulated == true)
        var machine = MachineFingerprint(derivedFrom: env)
        machine.memoryBytes = keyValues(read("/proc/meminfo") ?? "")["MemTotal"]
            .flatMap { UInt64($0.split(separator: " ").first ?? "") }.map { $0 * 1024 }
        machine.machineIDHash = read("/etc/machine-id").map { FNV1a.hex($0.trimmed, digits: 8) }
        if machine.emulated, let host = ProcessInfo.processInfo.environment["SYSCOST_EMULATING_HOST"]?.trimmed, !host.isEmpty {
            machine.emulatingHost = String(host.prefix(200))
        }
        env.machine = machine
        return env
    }

    /// The guest's clock when `scripts/kernel-matrix.sh --accel icount` started it
    /// (SYSCOST_CLOCK=icount, SYSCOST_ICOUNT_SHIFT=0, SYSCOST_CPU_MODEL=max from the kernel's
    /// command line); nil on any CPU that is not emulated, whatever the environment says.
    static func instructionClock(emulated: Bool) -> InstructionClock? {
        let e = ProcessInfo.processInfo.environment
        guard emulated, e["SYSCOST_CLOCK"] == "icount" else { return nil }
        let clock = InstructionClock(shift: Int(e["SYSCOST_ICOUNT_SHIFT"] ?? "0") ?? -1, cpuModel: e["SYSCOST_CPU_MODEL"] ?? "unknown")
        if let why = clock.malformed {
            StandardError.write("syscost: SYSCOST_CLOCK=icount ignored: \(why)\n")
            return nil
        }
        return clock
    }

    static func isEmulated(hypervisor: EnvironmentInfo.Hypervisor) -> Bool {
        hypervisor.vendor == "TCGTCGTCGTCG" || ProcessInfo.processInfo.environment["SYSCOST_EMULATED"] == "1"
    }

    public static func currentClocksource(_ host: HostSystem = .live) -> String? {
        host.read("/sys/devices/system/clocksource/clocksource0/current_clocksource")?.trimmed
    }

    static func vulnerabilities(_ host: HostSystem) -> [String: String] {
        let dir = "/sys/devices/system/cpu/vulnerabilities"
        var out: [String: String] = [:]
        for name in host.list(dir) ?? [] { out[name] = host.read("\(dir)/\(name)")?.trimmed }
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

    private static func run(_ args: [String]) -> String? { SpawnedOutput.read(["/usr/bin/env"] + args) }

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
    struct CPUInfo: Sendable {
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
