import Foundation


/// Where a run happened: everything that can move a syscall's cost between two runs.
public struct EnvironmentInfo: Codable, Equatable, Sendable {
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
    /// Set when the guest's clock counted instructions (qemu icount): every figure of the run
    /// is then guest instructions per op, never time.
    public var instructionClock: InstructionClock?
    /// The machine's identity; absent in reports made before it was recorded (then derived).
    public var machine: MachineFingerprint?
    /// How busy each CPU was just before measuring, and the canary (`syscost doctor`'s figures).
    public var host: HostState?

    /// This run's machine: recorded, or derived from the rest of the environment.
    public var fingerprint: MachineFingerprint { machine ?? MachineFingerprint(derivedFrom: self) }

    /// What the run's figures count.
    public var counted: Counted { Counted(instructionClock) }

    /// The smallest change per op a comparison may attribute: one TSC cycle on hardware (code
    /// and data land elsewhere in every process); none under an instruction clock, where the
    /// boots' own spread is the measure (nil: no floor, or no invariant TSC to give one).
    public var attributableStepNs: Double? {
        instructionClock == nil ? tsc.frequencyHz.map { 1e9 / $0 } : nil
    }

    public struct Kernel: Codable, Equatable, Sendable { public var release, version, cmdline: String
        public init(release: String, version: String, cmdline: String) { self.release = release; self.version = version; self.cmdline = cmdline }

        /// The command line's options but those `scripts/kernel-matrix.sh` always passes (the
        /// console, quiet, syscost's own SYSCOST_ variables) and the boot loader's
        /// (BOOT_IMAGE, root, ro, initrd): what a user chose, as `--cmdline` gave it, sorted.
        public var bootOptions: [String] {
            let runner: Set<String> = ["console=ttyS0", "panic=-1", "quiet", "loglevel=3", "ro", "rw"]
            return cmdline.split(separator: " ").map(String.init).filter { o in
                !runner.contains(o) && !o.hasPrefix("SYSCOST_") && !o.hasPrefix("BOOT_IMAGE=") && !o.hasPrefix("root=") && !o.hasPrefix("initrd=")
            }.sorted()
        }
    }
    public struct CPU: Codable, Equatable, Sendable {
        public var vendor, modelName: String
        public var family, model, stepping: Int?
        public var microcode: String?

        public init(vendor: String, modelName: String, family: Int? = nil, model: Int? = nil, stepping: Int? = nil, microcode: String? = nil) {
            self.vendor = vendor; self.modelName = modelName; self.family = family; self.model = model
            self.stepping = stepping; self.microcode = microcode
        }
    }
    public struct CPUs: Codable, Equatable, Sendable {
        public var online: String
        public var allowed: String
        /// /sys/devices/system/cpu/smt/control ("on", "off", "notsupported", …).
        public var smt: String?

        public init(online: String, allowed: String, smt: String? = nil) {
            self.online = online; self.allowed = allowed; self.smt = smt
        }
    }
    public struct TSC: Codable, Equatable, Sendable {
        /// x86 flags that make the TSC a usable clock: constant_tsc, nonstop_tsc, tsc_known_freq, rdtscp.
        public var flags: [String]
        public var invariant: Bool
        /// TSC ticks per second, calibrated against CLOCK_MONOTONIC_RAW for this run.
        public var frequencyHz: Double?
        public var calibratedAgainst: String?

        public init(flags: [String], invariant: Bool, frequencyHz: Double? = nil, calibratedAgainst: String? = nil) {
            self.flags = flags; self.invariant = invariant; self.frequencyHz = frequencyHz
            self.calibratedAgainst = calibratedAgainst
        }
    }
    public struct CPUFreq: Codable, Equatable, Sendable {
        public var governor: String?
        public var boost: String?

        public init(governor: String? = nil, boost: String? = nil) {
            self.governor = governor; self.boost = boost
        }
    }
    public struct Hypervisor: Codable, Equatable, Sendable {
        /// CPUID.1:ECX bit 31.
        public var present: Bool
        /// CPUID leaf 0x40000000 vendor signature ("KVMKVMKVM", "Microsoft Hv", …).
        public var vendor: String?

        public init(present: Bool, vendor: String? = nil) {
            self.present = present; self.vendor = vendor
        }
    }
    public struct Seccomp: Codable, Equatable, Sendable {
        /// 0 disabled, 1 strict, 2 filter, of the measuring thread (/proc/thread-self/status).
        public var mode: Int?
        public var filters: Int?
        /// The filter `run --seccomp` installed, and what it cost getppid.
        public var installed: SeccompInstalled?

        public init(mode: Int? = nil, filters: Int? = nil, installed: SeccompInstalled? = nil) {
            self.mode = mode; self.filters = filters; self.installed = installed
        }
    }
    public struct SeccompInstalled: Codable, Equatable, Sendable {
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

        public init(spec: String, kind: String, instructions: Int, getppidBeforeNs: Double, getppidAfterNs: Double, costPerCallNs: Double, costPerInstructionNs: Double? = nil, slope: SeccompSlope? = nil) {
            self.spec = spec; self.kind = kind; self.instructions = instructions
            self.getppidBeforeNs = getppidBeforeNs; self.getppidAfterNs = getppidAfterNs
            self.costPerCallNs = costPerCallNs; self.costPerInstructionNs = costPerInstructionNs
            self.slope = slope
        }
    }
    public struct Version: Codable, Equatable, Sendable {
        public var version: String
        public var commit: String?

        public init(version: String, commit: String? = nil) {
            self.version = version; self.commit = commit
        }
    }

    public init(hostname: String, kernel: Kernel, cpu: CPU, cpus: CPUs, vulnerabilities: [String: String], clocksource: String? = nil, tsc: TSC, cpufreq: CPUFreq, hypervisor: Hypervisor, seccomp: Seccomp, perfEventParanoid: Int? = nil, glibc: String, swift: String, syscost: Version, emulated: Bool? = nil, instructionClock: InstructionClock? = nil, machine: MachineFingerprint? = nil) {
        self.hostname = hostname; self.kernel = kernel; self.cpu = cpu; self.cpus = cpus
        self.vulnerabilities = vulnerabilities; self.clocksource = clocksource; self.tsc = tsc
        self.cpufreq = cpufreq; self.hypervisor = hypervisor; self.seccomp = seccomp
        self.perfEventParanoid = perfEventParanoid; self.glibc = glibc; self.swift = swift
        self.syscost = syscost; self.emulated = emulated; self.instructionClock = instructionClock; self.machine = machine
    }
}
