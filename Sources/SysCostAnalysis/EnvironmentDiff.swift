import Foundation
import SysCostModel

/// What differs between the environments of two runs: the things that move a syscall's cost.
public struct EnvironmentDifference: Codable, Equatable, Sendable {
    public var field: String
    public var base: String
    public var new: String

    public static func between(_ a: EnvironmentInfo, _ b: EnvironmentInfo) -> [EnvironmentDifference] {
        var out: [EnvironmentDifference] = []
        func check(_ field: String, _ x: String, _ y: String) {
            if x != y { out.append(EnvironmentDifference(field: field, base: x, new: y)) }
        }
        check("kernel release", a.kernel.release, b.kernel.release)
        check("kernel cmdline", a.kernel.cmdline, b.kernel.cmdline)
        for key in Set(a.vulnerabilities.keys).union(b.vulnerabilities.keys).sorted() {
            check("mitigation \(key)", a.vulnerabilities[key] ?? "(absent)", b.vulnerabilities[key] ?? "(absent)")
        }
        check("microcode", a.cpu.microcode ?? "?", b.cpu.microcode ?? "?")
        check("CPU model", a.cpu.modelName, b.cpu.modelName)
        check("seccomp", seccomp(a), seccomp(b))
        check("clocksource", a.clocksource ?? "?", b.clocksource ?? "?")
        check("hypervisor", hypervisor(a), hypervisor(b))
        check("emulated CPU", a.emulated == true ? "yes (TCG)" : "no", b.emulated == true ? "yes (TCG)" : "no")
        check("SMT", a.cpus.smt ?? "?", b.cpus.smt ?? "?")
        check("cpufreq governor", a.cpufreq.governor ?? "none", b.cpufreq.governor ?? "none")
        check("hostname", a.hostname, b.hostname)
        check("glibc", a.glibc, b.glibc)
        check("syscost version", version(a), version(b))
        return out
    }

    public static func seccomp(_ e: EnvironmentInfo) -> String {
        if let installed = e.seccomp.installed {
            return "filter '\(installed.spec)' (\(installed.kind), \(installed.instructions) instructions) installed by syscost"
        }
        switch e.seccomp.mode {
        case 2?: return "filter mode, \(e.seccomp.filters ?? 0) filter(s) inherited"
        case 1?: return "strict mode"
        case 0?: return "none"
        default: return "?"
        }
    }

    public static func hypervisor(_ e: EnvironmentInfo) -> String {
        e.hypervisor.present ? (e.hypervisor.vendor ?? "present (no signature)") : "none"
    }

    public static func version(_ e: EnvironmentInfo) -> String {
        e.syscost.version + (e.syscost.commit.map { " (\($0))" } ?? "")
    }
}
