import CSysCost
import Foundation
import SysCostModel
import SysCostStatistics

/// Samples how busy each CPU is (/proc/stat, runnable tasks under /proc) while syscost sleeps,
/// and times the user-space canary: the figures of `syscost doctor`, and what `run` uses to
/// pick the quietest CPU.
public enum HostProbe {
    /// Samples the CPUs over `milliseconds`, looking for runnable tasks `scans` times.
    public static func sample(cpus: [Int], milliseconds: Double = 200, scans: Int = 5, host: HostSystem = .live) -> HostState {
        let before = cpuTimes(host)
        var runnable: [Int: [String]] = [:]
        let started = sc_clock_raw_ns()
        for scan in 0..<scans {
            // Sampling over time, not waiting for a state: the interval is what is measured.
            let due = started + UInt64(milliseconds * 1e6 * Double(scan + 1) / Double(scans))
            for (cpu, name) in runnableTasks(host) where !(runnable[cpu] ?? []).contains(name) { runnable[cpu, default: []].append(name) }
            let now = sc_clock_raw_ns()
            if due > now { usleep(UInt32((due - now) / 1000)) }
        }
        let elapsed = Double(sc_clock_raw_ns() - started) / 1e6
        let after = cpuTimes(host)
        let isolated = Set(CPUList.members(host.read("/sys/devices/system/cpu/isolated") ?? ""))
        let nohz = Set(CPUList.members(host.read("/sys/devices/system/cpu/nohz_full") ?? ""))
        let loads = cpus.map { cpu -> HostState.CPULoad in
            let a = before[cpu] ?? [], b = after[cpu] ?? []
            let d = zip(b, a).map { $0 &- $1 }
            func field(_ i: Int) -> Double { i < d.count ? Double(d[i]) : 0 }
            // user nice system idle iowait irq softirq steal (guest time is inside user)
            let total = (0..<8).map(field).reduce(0, +)
            let share: (Double) -> Double = { total > 0 ? $0 / total : 0 }
            return HostState.CPULoad(
                cpu: cpu, busy: share(field(0) + field(1) + field(2) + field(5) + field(6) + field(7)), steal: share(field(7)),
                irq: share(field(5) + field(6)), runnable: runnable[cpu] ?? [],
                siblings: CPUList.members(host.read("/sys/devices/system/cpu/cpu\(cpu)/topology/thread_siblings_list") ?? "").filter { $0 != cpu },
                governor: host.read("/sys/devices/system/cpu/cpu\(cpu)/cpufreq/scaling_governor")?.trimmed,
                isolated: isolated.contains(cpu), nohzFull: nohz.contains(cpu))
        }
        let cmdline = host.read("/proc/cmdline") ?? ""
        let hypervisor = EnvironmentCapture.hypervisor(flags: EnvironmentCapture.CPUInfo(host.read("/proc/cpuinfo") ?? "").flags)
        return HostState(
            sampledMs: elapsed, cpus: loads,
            boost: host.read("/sys/devices/system/cpu/cpufreq/boost")?.trimmed,
            rcuNocbs: cmdline.split(separator: " ").first { $0.hasPrefix("rcu_nocbs=") }.map { String($0.dropFirst("rcu_nocbs=".count)) },
            perfSampleRate: host.read("/proc/sys/kernel/perf_event_max_sample_rate").flatMap { Int($0.trimmed) },
            hypervisor: hypervisor.present ? hypervisor.vendor ?? "unknown" : "none")
    }

    /// The canary on `cpu`: `seconds` of ~1 ms slices of the multiply chain.
    public static func canary(on cpu: Int, seconds: Double = 1, sliceMs: Double = 1) throws -> HostState.Canary {
        try CPUSet.withPinned(to: cpu) {
            let f = Fixture()
            let n = Batch.calibrate(sc_loop_canary, f.ctx, minimumNs: sliceMs * 1e6)
            let slices = max(Int(seconds * 1000 / sliceMs), 10)
            let nsPerOp = (0..<slices).map { _ in Batch.time(sc_loop_canary, f.ctx, iterations: n).nsPerOp }
            let ghz = nsPerOp.map { Double(SC_CANARY_CHAIN) * 3 / $0 }.sorted()
            let mean = Statistics.mean(nsPerOp)
            return HostState.Canary(cpu: cpu, slices: slices, sliceMs: sliceMs,
                                    cv: mean > 0 ? Statistics.standardDeviation(nsPerOp) / mean : 0,
                                    ghz: Statistics.quantile(sorted: ghz, 0.5), minGHz: ghz.first ?? 0, maxGHz: ghz.last ?? 0)
        }
    }

    /// cpuN → its /proc/stat counters.
    static func cpuTimes(_ host: HostSystem) -> [Int: [UInt64]] {
        var out: [Int: [UInt64]] = [:]
        for line in (host.read("/proc/stat") ?? "").split(separator: "\n") where line.hasPrefix("cpu") {
            let parts = line.split(separator: " ")
            guard let cpu = Int(parts[0].dropFirst(3)) else { continue }  // "cpu" alone is the total
            out[cpu] = parts.dropFirst().compactMap { UInt64($0) }
        }
        return out
    }

    /// (cpu, name) of every runnable task but syscost's own.
    static func runnableTasks(_ host: HostSystem) -> [(Int, String)] {
        let me = String(getpid())
        var out: [(Int, String)] = []
        for pid in host.list("/proc") ?? [] where pid.allSatisfy(\.isNumber) && pid != me {
            for tid in host.list("/proc/\(pid)/task") ?? [] {
                guard let stat = host.read("/proc/\(pid)/task/\(tid)/stat"),
                      let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")") else { continue }
                let fields = stat[stat.index(after: close)...].split(separator: " ")
                // fields[0] is the state (field 3); the processor is field 39, fields[36].
                guard fields.count > 36, fields[0] == "R", let cpu = Int(fields[36]) else { continue }
                out.append((cpu, String(stat[stat.index(after: open)..<close])))
            }
        }
        return out
    }
}
