/// A per-task knob a run measures with against without, batch beside batch in the same rounds
/// (`run --seccomp SPEC`, `run --speculation CONTROL`): what it adds is a paired difference
/// taken under one host phase, not two runs minutes apart.
public enum ABKnob: Codable, Equatable, Sendable, CustomStringConvertible {
    /// A seccomp filter (its spec: `cached`, `docker-like` or a number of instructions),
    /// installed in a forked twin on the same CPU: a filter cannot be removed again.
    case seccomp(String)
    /// A speculation control disabled around every other batch of the measuring thread
    /// itself (prctl can turn it back on).
    case speculation(SpeculationKnob)

    public var description: String {
        switch self {
        case .seccomp(let spec): return "seccomp filter '\(spec)'"
        case .speculation(let knob): return "\(knob.rawValue) speculation disabled"
        }
    }

    public var isSeccomp: Bool { if case .seccomp = self { true } else { false } }

    /// How the "with" half was taken, for a section's title.
    public var method: String {
        switch self {
        case .seccomp: return "a filtered twin on the same CPU, batch beside batch"
        case .speculation: return "the same thread with the control disabled by prctl around every other batch"
        }
    }
}

/// A per-task speculation control of Linux (prctl PR_SET_SPECULATION_CTRL).
public enum SpeculationKnob: String, Codable, CaseIterable, Sendable {
    /// Speculative Store Bypass (Spectre v4): disabled, the CPU runs the thread with SSBD.
    case storeBypass = "store-bypass"
    /// Indirect branch speculation (Spectre v2 user): disabled, the kernel issues an IBPB on
    /// every switch into or out of the thread and sets STIBP while it runs.
    case indirectBranch = "indirect-branch"

    /// PR_SPEC_STORE_BYPASS, PR_SPEC_INDIRECT_BRANCH (linux/prctl.h).
    public var prctlWhich: UInt {
        switch self {
        case .storeBypass: return 0
        case .indirectBranch: return 1
        }
    }

    /// The sysfs file that says how the kernel mitigates it.
    public var vulnerabilityFile: String {
        switch self {
        case .storeBypass: return "/sys/devices/system/cpu/vulnerabilities/spec_store_bypass"
        case .indirectBranch: return "/sys/devices/system/cpu/vulnerabilities/spectre_v2"
        }
    }

    /// /proc/cpuinfo flags of the CPU features the control switches (any one suffices).
    public var cpuFlags: [String] {
        switch self {
        case .storeBypass: return ["ssbd", "virt_ssbd", "amd_ssbd"]
        case .indirectBranch: return ["ibpb", "stibp"]
        }
    }

    /// The kernel parameter that lets tasks choose.
    public var bootParameter: String {
        switch self {
        case .storeBypass: return "spec_store_bypass_disable=prctl"
        case .indirectBranch: return "spectre_v2_user=prctl"
        }
    }

    public init(option: String) throws {
        guard let knob = SpeculationKnob(rawValue: option) else {
            throw SysCostError.usage("--speculation takes \(Self.allCases.map { "'\($0.rawValue)'" }.joined(separator: " or ")) (got '\(option)')")
        }
        self = knob
    }
}
