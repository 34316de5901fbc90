/// A per-task knob a run measures with against without, batch beside batch in the same rounds
/// (`run --seccomp SPEC`, `run --speculation CONTROL`): what it adds is a paired difference
/// taken under one host phase, not two runs minutes apart.
///
/// `syscost.run/3` writes it as `{"knob": "seccomp", "setting": "cached"}` or
/// `{"knob": "speculation", "setting": "indirect-branch"}`; `/2`'s `{"seccomp": {"_0": …}}` still loads.
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

    enum Keys: String, CodingKey { case knob, setting }
    /// `/2`'s synthesized form.
    enum Version2: String, CodingKey { case seccomp, speculation }
    enum Payload: String, CodingKey { case _0 }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        switch self {
        case .seccomp(let spec): try c.encode("seccomp", forKey: .knob); try c.encode(spec, forKey: .setting)
        case .speculation(let knob): try c.encode("speculation", forKey: .knob); try c.encode(knob, forKey: .setting)
        }
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        if let knob = try c.decodeIfPresent(String.self, forKey: .knob) {
            switch knob {
            case "seccomp": self = .seccomp(try c.decode(String.self, forKey: .setting))
            case "speculation": self = .speculation(try c.decode(SpeculationKnob.self, forKey: .setting))
            default:
                throw DecodingError.dataCorruptedError(forKey: .knob, in: c, debugDescription: "'\(knob)' is not an A/B knob (seccomp, speculation)")
            }
            return
        }
        let old = try decoder.container(keyedBy: Version2.self)
        if old.contains(.seccomp) {
            self = .seccomp(try old.nestedContainer(keyedBy: Payload.self, forKey: .seccomp).decode(String.self, forKey: ._0))
        } else {
            self = .speculation(try old.nestedContainer(keyedBy: Payload.self, forKey: .speculation).decode(SpeculationKnob.self, forKey: ._0))
        }
    }

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
}
