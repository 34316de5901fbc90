import Foundation

/// What differs between the environments of two runs: the things that move a syscall's cost.
public struct EnvironmentDifference: Codable, Equatable, Sendable {
    /// What the difference is about, and so which figures it can move.
    public enum Kind: String, Codable, Sendable {
        case kernel, bootOptions = "boot-options", mitigation, microcode, seccomp, clocksource
        case machine, cpufreq, libc, unrelated

        /// Which results a difference of this kind can explain; `usesLibc`: the result calls
        /// through libc (its suite says which do).
        public func canExplain(syscallsPerOp: Int, category: Category, usesLibc: Bool) -> Bool {
            switch self {
            case .kernel, .bootOptions, .mitigation, .microcode, .seccomp: return syscallsPerOp > 0
            case .clocksource: return syscallsPerOp == 0 && category == .informationMaintenance
            case .machine, .cpufreq: return true
            case .libc: return usesLibc
            case .unrelated: return false
            }
        }
    }

    public var field: String
    public var base: String
    public var new: String
    public var kind: Kind

    public init(field: String, base: String, new: String, kind: Kind = .machine) {
        self.field = field; self.base = base; self.new = new; self.kind = kind
    }

    public static func between(_ a: EnvironmentInfo, _ b: EnvironmentInfo) -> [EnvironmentDifference] {
        var out: [EnvironmentDifference] = []
        func check(_ field: String, _ x: String, _ y: String, _ kind: Kind) {
            if x != y { out.append(EnvironmentDifference(field: field, base: x, new: y, kind: kind)) }
        }
        check("kernel release", a.kernel.release, b.kernel.release, .kernel)
        check("kernel cmdline", a.kernel.cmdline, b.kernel.cmdline, .bootOptions)
        for key in Set(a.vulnerabilities.keys).union(b.vulnerabilities.keys).sorted() {
            check("mitigation \(key)", a.vulnerabilities[key] ?? "(absent)", b.vulnerabilities[key] ?? "(absent)", .mitigation)
        }
        check("microcode", a.cpu.microcode ?? "?", b.cpu.microcode ?? "?", .microcode)
        check("CPU model", a.cpu.modelName, b.cpu.modelName, .machine)
        check("seccomp", seccomp(a), seccomp(b), .seccomp)
        check("clocksource", a.clocksource ?? "?", b.clocksource ?? "?", .clocksource)
        check("hypervisor", hypervisor(a), hypervisor(b), .machine)
        check("emulated CPU", a.emulated == true ? "yes (TCG)" : "no", b.emulated == true ? "yes (TCG)" : "no", .machine)
        check("SMT", a.cpus.smt ?? "?", b.cpus.smt ?? "?", .machine)
        check("cpufreq governor", a.cpufreq.governor ?? "none", b.cpufreq.governor ?? "none", .cpufreq)
        check("hostname", a.hostname, b.hostname, .unrelated)
        check("glibc", a.glibc, b.glibc, .libc)
        check("syscost version", version(a), version(b), .unrelated)
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
