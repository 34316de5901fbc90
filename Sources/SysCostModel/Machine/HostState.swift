import Foundation

/// How busy the host was just before measuring, per CPU, and how steady a user-space canary
/// ran: what `syscost doctor` shows and every run records. Noise only ever adds time; this
/// says where it comes from.
public struct HostState: Codable, Equatable, Sendable {
    public struct CPULoad: Codable, Equatable, Sendable {
        public var cpu: Int
        /// Share of the sampled interval the CPU was busy (user, system, IRQ, steal), with
        /// syscost itself asleep: other work.
        public var busy: Double
        /// Share the hypervisor took for other guests.
        public var steal: Double
        /// Share spent in hard and soft interrupts.
        public var irq: Double
        /// Other tasks seen runnable on it (their names, each once).
        public var runnable: [String]
        /// Its SMT siblings (other hardware threads of the same core).
        public var siblings: [Int]
        public var governor: String?
        /// Listed in isolcpus or nohz_full: the kernel keeps its own work off it.
        public var isolated: Bool
        public var nohzFull: Bool

        public init(cpu: Int, busy: Double, steal: Double, irq: Double, runnable: [String], siblings: [Int],
                    governor: String?, isolated: Bool, nohzFull: Bool) {
            self.cpu = cpu; self.busy = busy; self.steal = steal; self.irq = irq; self.runnable = runnable
            self.siblings = siblings; self.governor = governor; self.isolated = isolated; self.nohzFull = nohzFull
        }
    }

    /// A dependent multiply chain timed in ~1 ms slices: how steadily the core ran.
    public struct Canary: Codable, Equatable, Sendable {
        public var cpu: Int
        public var slices: Int
        public var sliceMs: Double
        /// The slices' CV: a quiet core stays well under 1%.
        public var cv: Double
        /// Effective clock from the chain (3-cycle multiplies): median, slowest and fastest slice.
        public var ghz: Double
        public var minGHz: Double
        public var maxGHz: Double

        public init(cpu: Int, slices: Int, sliceMs: Double, cv: Double, ghz: Double, minGHz: Double, maxGHz: Double) {
            self.cpu = cpu; self.slices = slices; self.sliceMs = sliceMs; self.cv = cv; self.ghz = ghz
            self.minGHz = minGHz; self.maxGHz = maxGHz
        }
    }

    public enum Verdict: String, Codable, Sendable {
        case quiet, noisy, unusable
    }

    public var sampledMs: Double
    public var cpus: [CPULoad]
    public var boost: String?
    public var rcuNocbs: String?
    public var perfSampleRate: Int?
    public var hypervisor: String
    public var canary: Canary?

    public init(sampledMs: Double, cpus: [CPULoad], boost: String?, rcuNocbs: String?, perfSampleRate: Int?,
                hypervisor: String, canary: Canary? = nil) {
        self.sampledMs = sampledMs; self.cpus = cpus; self.boost = boost; self.rcuNocbs = rcuNocbs
        self.perfSampleRate = perfSampleRate; self.hypervisor = hypervisor; self.canary = canary
    }

    public func load(_ cpu: Int) -> CPULoad? { cpus.first { $0.cpu == cpu } }

    /// Other work on a CPU as one number: busy time, and a runnable task counts as a busy CPU.
    func pressure(_ l: CPULoad) -> Double { l.busy + (l.runnable.isEmpty ? 0 : 0.5) }

    /// The allowed CPU with the least other work (ties: the last, which takes fewer IRQs).
    public func quietest(among allowed: [Int]) -> Int? {
        allowed.compactMap(load).min { a, b in
            pressure(a) != pressure(b) ? pressure(a) < pressure(b) : a.cpu > b.cpu
        }?.cpu
    }

    /// Limits: above `busyNoisy` of other work (or any runnable task, steal above
    /// `stealNoisy`, a canary CV above `canaryNoisy`) a CPU is noisy; above the `Unusable`
    /// ones it cannot give figures worth keeping.
    public static let busyNoisy = 0.05, busyUnusable = 0.5
    public static let stealNoisy = 0.02, stealUnusable = 0.2
    public static let canaryNoisy = 0.03, canaryUnusable = 0.25

    public func verdict(for cpu: Int) -> Verdict {
        guard let l = load(cpu) else { return .noisy }
        let siblingBusy = l.siblings.compactMap(load).map(\.busy).max() ?? 0
        let canaryCV = canary.flatMap { $0.cpu == cpu ? $0.cv : nil } ?? 0
        if l.busy > Self.busyUnusable || l.steal > Self.stealUnusable || canaryCV > Self.canaryUnusable { return .unusable }
        if l.busy > Self.busyNoisy || !l.runnable.isEmpty || l.steal > Self.stealNoisy || l.irq > Self.busyNoisy
            || siblingBusy > 0.2 || canaryCV > Self.canaryNoisy { return .noisy }
        return .quiet
    }

    /// What makes `cpu` noisy, and what to do about it, one line each.
    public func findings(for cpu: Int, allowed: [Int]) -> [String] {
        guard let l = load(cpu) else { return ["CPU \(cpu) was not sampled"] }
        var out: [String] = []
        // Another CPU is worth naming only when it is quieter.
        let other = quietest(among: allowed.filter { $0 != cpu && load($0).map { pressure($0) < pressure(l) } == true })
        let elsewhere = other.map { " — measure on CPU \($0) (`--cpu \($0)`), or stop that work" } ?? " — stop that work (no allowed CPU is quieter)"
        if l.busy > Self.busyNoisy || !l.runnable.isEmpty {
            out.append(String(format: "CPU %d is busy: %.0f%% of the last %.0f ms", cpu, l.busy * 100, sampledMs)
                       + (l.runnable.isEmpty ? "" : ", running \(l.runnable.prefix(4).joined(separator: ", "))") + elsewhere)
        }
        if l.steal > Self.stealNoisy {
            out.append(String(format: "the hypervisor took %.1f%% of CPU %d for other guests (steal): the host is oversubscribed, figures will drift between runs — compare in-run ratios, spread rounds over time", l.steal * 100, cpu))
        }
        if l.irq > Self.busyNoisy {
            out.append(String(format: "interrupts took %.1f%% of CPU %d: move them (/proc/irq/*/smp_affinity) or measure elsewhere", l.irq * 100, cpu))
        }
        for s in l.siblings { if let sl = load(s), sl.busy > 0.2 {
            out.append(String(format: "CPU %d shares a core with CPU %d, which is %.0f%% busy: measure where the sibling is idle, or turn SMT off", cpu, s, sl.busy * 100))
        } }
        if let c = canary, c.cpu == cpu, c.cv > Self.canaryNoisy {
            out.append(String(format: "the canary's 1 ms slices varied by %.1f%% (%.2f–%.2f GHz): the core itself ran at a changing speed", c.cv * 100, c.minGHz, c.maxGHz))
        }
        if let g = l.governor, g != "performance" {
            out.append("cpufreq governor is \(g): `cpupower frequency-set -g performance` holds the clock")
        }
        if boost == "1" { out.append("turbo/boost is on: `echo 0 > /sys/devices/system/cpu/cpufreq/boost` for a clock that does not follow temperature") }
        if !l.isolated && !l.nohzFull {
            out.append("CPU \(cpu) is not isolated: boot with isolcpus=\(cpu) nohz_full=\(cpu) rcu_nocbs=\(cpu) to keep the kernel's own work off it")
        }
        if hypervisor != "none" {
            out.append("a VM (\(hypervisor)): other guests share the physical cores; steadiest figures come from bare metal or dedicated vCPUs")
        }
        return out
    }
}
