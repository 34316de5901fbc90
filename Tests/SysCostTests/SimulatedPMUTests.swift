import CSysCost
import Foundation
@testable import SysCost
@testable import SysCostRender
@testable import SysCostModel
import Testing
import SysCostTestSupport

/// A PMU behind the host seam: the counting code runs end to end against a kernel that
/// multiplexes (each group runs half the time it is enabled), refuses kernel-mode events with
/// EACCES (as perf_event_paranoid 2 does), and lacks one event (ENOENT).
final class SimulatedPMU: @unchecked Sendable {
    struct Event { var attr: perf_event_attr; var group: Int32; var count: UInt64 = 0 }
    private let lock = NSLock()
    private var events: [Int32: Event] = [:]
    private var enabled: [Int32: (enabled: UInt64, running: UInt64)] = [:]
    private var next: Int32 = 100
    /// Raw counts each event adds per enabled period, by config (before multiplexing).
    let perPeriod: [UInt64: UInt64]
    /// The config this PMU does not have.
    let missingConfig: UInt64
    /// Nanoseconds enabled and running per period.
    let enabledNs: UInt64 = 2_000, runningNs: UInt64 = 1_000

    init(perPeriod: [UInt64: UInt64], missingConfig: UInt64) {
        self.perPeriod = perPeriod
        self.missingConfig = missingConfig
    }

    var host: HostSystem {
        HostSystem(
            read: { path in path.hasSuffix("perf_event_paranoid") ? "2\n" : nil },
            list: { path in path == "/sys/bus/event_source/devices" ? ["cpu", "software", "tracepoint"] : nil },
            perf: PerfEvents(
                open: { attr, _, group in self.open(attr, group) },
                enable: { leader, on in self.enable(leader, on) },
                readGroup: { leader, words in self.read(leader, &words) },
                close: { _ in }))
    }

    private func open(_ attr: perf_event_attr, _ group: Int32) -> Int32 {
        lock.lock(); defer { lock.unlock() }
        if attr.exclude_kernel == 0 && attr.type != UInt32(PERF_TYPE_SOFTWARE.rawValue) { return -EACCES }
        if attr.config == missingConfig { return -ENOENT }
        next += 1
        events[next] = Event(attr: attr, group: group == -1 ? next : group)
        if group == -1 { enabled[next] = (0, 0) }
        return next
    }

    private func enable(_ leader: Int32, _ on: Bool) -> Int32 {
        lock.lock(); defer { lock.unlock() }
        guard !on else { return 0 }
        // Each enable/disable pair is one period: counts for half of it, scaled back by 2.
        enabled[leader]!.enabled += enabledNs
        enabled[leader]!.running += runningNs
        for (fd, e) in events where e.group == leader { events[fd]!.count += perPeriod[e.attr.config] ?? 0 }
        return 0
    }

    private func read(_ leader: Int32, _ words: inout [UInt64]) -> Int32 {
        lock.lock(); defer { lock.unlock() }
        let members = events.filter { $0.value.group == leader }.keys.sorted()
        guard words.count >= 3 + members.count, let times = enabled[leader] else { return -EINVAL }
        words[0] = UInt64(members.count)
        words[1] = times.enabled
        words[2] = times.running
        for (k, fd) in members.enumerated() { words[3 + k] = events[fd]!.count }
        return Int32(3 + members.count)
    }
}

@Suite struct SimulatedPMUTests {
    static func event(_ name: String) throws -> CounterEvent { CounterEvent(name: CounterName(name), encoding: try EventEncoder.encode(name)) }

    @Test func multiplexedCountsAreScaledRefusalsExplainedAndIPCDerived() throws {
        let cyclesU = try Self.event("cycles:u"), instructionsU = try Self.event("instructions:u")
        let cyclesK = try Self.event("cycles:k"), dtlb = try Self.event("dTLB-load-misses:u")
        let pmu = SimulatedPMU(perPeriod: [cyclesU.encoding.config: 1_000, instructionsU.encoding.config: 2_500,
                                           dtlb.encoding.config: 7],
                               missingConfig: dtlb.encoding.config)
        // Full access as far as syscost knows: the refusal must come from the kernel's answer.
        let access = PerfAccess.decide(paranoid: 2, privileged: true)
        let set = CounterSet(events: [cyclesU, instructionsU, cyclesK, dtlb], tasks: [0], access: access, host: pmu.host)
        #expect(set.isCounting)
        let periods = 3, opsPerPeriod = 100
        for _ in 0..<periods { set.begin(); set.end() }
        let values = set.values(ops: periods * opsPerPeriod)

        // Multiplexed: counted half the time, so every count is scaled by 2.
        let cycles = try #require(values["cycles:u"]), instructions = try #require(values["instructions:u"])
        #expect(cycles.status == .ok && cycles.scaling == 2)
        #expect(cycles.perOp == 2.0 * 1_000 * Double(periods) / Double(periods * opsPerPeriod))
        #expect(instructions.perOp == 2.0 * 2_500 * Double(periods) / Double(periods * opsPerPeriod))

        // Kernel mode refused by the kernel (EACCES): unavailable, saying why and what lifts it.
        let kernel = try #require(values["cycles:k"])
        #expect(kernel.status == .unavailable && kernel.perOp == nil)
        #expect(kernel.reason?.contains("denied: perf_event_paranoid is 2") == true, "\(kernel.reason ?? "")")

        // An event this PMU lacks (ENOENT) while a hardware PMU exists: the PMU does not support it.
        let missing = try #require(values["dTLB-load-misses:u"])
        #expect(missing.status == .unavailable)
        #expect(missing.reason?.contains("the PMU (cpu) does not support this hardware cache event") == true, "\(missing.reason ?? "")")

        // IPC in user mode from the scaled counts; nothing in kernel mode, which was not counted.
        let metrics = try #require(CounterMetric.compute(values))
        #expect(metrics[.ipcUser] == 2.5)
        #expect(metrics[.ipcKernel] == nil && metrics[.kernelCycleShare] == nil)

        // The report lays them out as perf stat does: counted events only, the rest in one note each.
        var result = BenchmarkResult(id: "syscall/getppid/raw", category: .processControl, description: "", syscallsPerOp: 1,
                                     iterationsPerBatch: opsPerPeriod, overheadNs: 0, samples: [100, 101, 102],
                                     summary: Summary(samples: [100, 101, 102]), tscCyclesPerOp: nil, warnings: [], status: .ok)
        result.counters = values
        result.counterMetrics = metrics
        var report = RunReport(environment: Synthetic.environment,
                               config: RunConfig(patterns: [], cpu: 0, repetitions: 3, minBatchTimeMs: 1, interleave: true,
                                                 quick: false, warmupMs: 0, startedAt: "2026-11-29T00:00:00Z", durationSeconds: 1),
                               results: [result])
        report.config.counters = ["cycles:u", "instructions:u", "cycles:k", "dTLB-load-misses:u"]
        let section = try #require(CounterLayout.section(report))
        let table = try #require(section.table)
        #expect(table.rows.map { $0[2] } == ["cycles:u", "instructions:u", "# ipc:u"])
        #expect(table.rows[0][3].contains("scaled ×2.00"))
        #expect(section.notes.contains { $0.hasPrefix("not counted (cycles:k): denied") })
        #expect(section.notes.contains { $0.hasPrefix("not counted (dTLB-load-misses:u): the PMU (cpu) does not support") })
    }

    /// The user-mode-only plan refuses kernel-mode events before the kernel is asked.
    @Test func userOnlyAccessRefusesKernelModeWithoutAsking() throws {
        let cyclesK = try Self.event("cycles:k")
        let pmu = SimulatedPMU(perPeriod: [:], missingConfig: .max)
        let set = CounterSet(events: [cyclesK], tasks: [0], access: PerfAccess.decide(paranoid: 2, privileged: false), host: pmu.host)
        #expect(!set.isCounting)
        #expect(set.unavailableReason("cycles:k")?.contains("counts kernel mode only") == true)
    }
}
