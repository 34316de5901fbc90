import CSysCost
import Foundation
import SysCostModel

/// The calling thread's speculation controls (prctl PR_GET/PR_SET_SPECULATION_CTRL), behind a
/// seam so a test can stand in for a kernel that offers them.
public struct SpeculationControl: Sendable {
    /// The PR_SPEC_* bits of `knob`, or the errno of a failed call (negative).
    public var get: @Sendable (SpeculationKnob) -> Int
    /// Disables (true) or enables `knob` for the calling thread: 0 or the errno.
    public var set: @Sendable (SpeculationKnob, _ disable: Bool) -> Int32

    public init(get: @escaping @Sendable (SpeculationKnob) -> Int, set: @escaping @Sendable (SpeculationKnob, Bool) -> Int32) {
        self.get = get; self.set = set
    }

    public static let live = SpeculationControl(
        get: { knob in
            let bits = sc_get_speculation_ctrl(knob.prctlWhich)
            return bits < 0 ? -Int(errno) : Int(bits)
        },
        set: { knob, disable in
            sc_set_speculation_ctrl(knob.prctlWhich, disable ? specDisable : specEnable) == 0 ? 0 : errno
        })

    // linux/prctl.h
    static let specPrctl: UInt = 1 << 0, specEnable: UInt = 1 << 1, specDisable: UInt = 1 << 2, specForceDisable: UInt = 1 << 3

    /// Whether this thread may switch `knob` off and on again, and its state now (true:
    /// speculation disabled); or why not, naming what the kernel and CPU say.
    public func availability(_ knob: SpeculationKnob, host: HostSystem = .live) -> Result<Bool, SysCostError> {
        let bits = get(knob)
        let said = (host.read(knob.vulnerabilityFile)?.trimmingCharacters(in: .whitespacesAndNewlines)).map {
            " (\(knob.vulnerabilityFile): '\($0)')"
        } ?? ""
        func unavailable(_ why: String, _ hint: String = "") -> Result<Bool, SysCostError> {
            .failure(.usage("--speculation \(knob.rawValue) is unavailable here: \(why)\(said)" + (hint.isEmpty ? "" : ". " + hint)))
        }
        if bits < 0 {
            return unavailable(Int32(-bits) == EINVAL
                ? "this kernel has no per-task speculation control (PR_GET_SPECULATION_CTRL: EINVAL; Linux ≥ 4.17 has them)"
                : "PR_GET_SPECULATION_CTRL failed: \(String(cString: strerror(Int32(-bits))))")
        }
        let b = UInt(bits)
        if b == 0 { return unavailable("the kernel reports the CPU not affected (PR_SPEC_NOT_AFFECTED): there is nothing to switch") }
        if b & Self.specForceDisable != 0 {
            return unavailable("it is force-disabled for this task (PR_SPEC_FORCE_DISABLE), so there is no 'without' half")
        }
        if b & Self.specPrctl == 0 {
            let flags = EnvironmentCapture.CPUInfo(host.read("/proc/cpuinfo") ?? "").flags
            let hint = knob.cpuFlags.allSatisfy { !flags.contains($0) }
                ? "This CPU, as the kernel sees it, has none of the flags \(knob.cpuFlags.joined(separator: "/")) (a hypervisor may hide them)"
                : "\(knob.bootParameter) on the kernel command line lets tasks choose"
            return unavailable("the kernel does not let a task choose (PR_SPEC_PRCTL not set): it is always \(b & Self.specDisable != 0 ? "disabled" : "enabled") for every task", hint)
        }
        return .success(b & Self.specDisable != 0)
    }
}
