import CSysCost
import Foundation
@testable import SysCost
@testable import SysCostModel
@testable import SysCostAnalysis
@testable import SysCostRender
import Testing
import SysCostTestSupport

@Suite struct CounterTests {
    @Test func libpfmEncodesGenericNamesAndModes() throws {
        let cycles = try EventEncoder.encode("cycles")
        #expect(cycles.type == EventEncoding.typeHardware && cycles.config == 0)  // PERF_COUNT_HW_CPU_CYCLES
        #expect(!cycles.excludeUser && !cycles.excludeKernel)
        let instructionsUser = try EventEncoder.encode("instructions:u")
        #expect(instructionsUser.type == EventEncoding.typeHardware && instructionsUser.config == 1)
        #expect(!instructionsUser.excludeUser && instructionsUser.excludeKernel)
        let cyclesKernel = try EventEncoder.encode("cycles:k")
        #expect(cyclesKernel.type == EventEncoding.typeHardware && cyclesKernel.config == 0)
        #expect(cyclesKernel.excludeUser && !cyclesKernel.excludeKernel && cyclesKernel.kernelOnly)
        // L1D (0) | READ (0 << 8) | MISS (1 << 16)
        let l1 = try EventEncoder.encode("L1-dcache-load-misses")
        #expect(l1.type == EventEncoding.typeHardwareCache && l1.config == 0x10000)
        let taskClock = try EventEncoder.encode("task-clock")
        #expect(taskClock.isSoftware && taskClock.config == UInt64(PERF_COUNT_SW_TASK_CLOCK.rawValue))
    }

    @Test func unknownNameGivesLibpfmsMessage() throws {
        #expect(throws: EventEncodingError(name: "no-such-event", message: "event not found")) {
            try EventEncoder.encode("no-such-event")
        }
        #expect(throws: EventEncodingError(name: "cycles:x", message: "invalid event attribute")) {
            try EventEncoder.encode("cycles:x")
        }
        let r = try CLI.run(["run", "syscall/getppid/raw", "--counters", "cycles,no-such-event"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("'no-such-event': libpfm4: event not found"), "\(r.stderr)")
        #expect(r.stderr.contains("syscost counters"))
    }

    @Test func defaultExpandsInPlaceWithoutDuplicates() throws {
        let events = try CounterEvent.parseList("task-clock,default")
        #expect(events.map(\.name) == ["task-clock"] + CounterEvent.defaultNames.filter { $0 != "task-clock" })
    }

    /// The hardware path, checked through the perf_event_attr it builds.
    @Test func attrOfLeaderAndMember() throws {
        let full = PerfAccess.decide(paranoid: 2, privileged: true)
        let userOnly = PerfAccess.decide(paranoid: 2, privileged: false)
        let cycles = CounterEvent(name: "cycles", encoding: try EventEncoder.encode("cycles"))
        let groupFormat: UInt64 = 1 | 2 | 8  // TOTAL_TIME_ENABLED | TOTAL_TIME_RUNNING | GROUP (the kernel ABI)
        let leader = cycles.attr(under: full, leader: true)
        #expect(leader.type == UInt32(PERF_TYPE_HARDWARE.rawValue) && leader.config == UInt64(PERF_COUNT_HW_CPU_CYCLES.rawValue))
        #expect(leader.disabled == 1 && leader.read_format == groupFormat)
        #expect(leader.exclude_user == 0 && leader.exclude_kernel == 0 && leader.exclude_hv == 1)
        #expect(leader.size == UInt32(MemoryLayout<perf_event_attr>.size))
        let member = cycles.attr(under: full, leader: false)
        #expect(member.disabled == 0 && member.read_format == groupFormat)
        // Restricted: the same name is opened for user mode only.
        let restricted = cycles.attr(under: userOnly, leader: true)
        #expect(restricted.exclude_user == 0 && restricted.exclude_kernel == 1)
        let kernel = CounterEvent(name: "cycles:k", encoding: try EventEncoder.encode("cycles:k")).attr(under: full, leader: false)
        #expect(kernel.exclude_user == 1 && kernel.exclude_kernel == 0)
        let cache = CounterEvent(name: "dTLB-load-misses", encoding: try EventEncoder.encode("dTLB-load-misses")).attr(under: full, leader: false)
        #expect(cache.type == EventEncoding.typeHardwareCache && cache.config == 0x10003)
    }

    @Test func accessFollowsParanoidAndCapabilities() {
        #expect(PerfAccess.decide(paranoid: 2, privileged: true).mode == .full)
        #expect(PerfAccess.decide(paranoid: 1, privileged: false).mode == .full)
        let two = PerfAccess.decide(paranoid: 2, privileged: false)
        #expect(two.mode == .userOnly && two.note?.contains("perf_event_paranoid is 2") == true)
        let three = PerfAccess.decide(paranoid: 3, privileged: false)
        #expect(three.mode == .off && three.note?.contains("perf_event_paranoid is 3") == true)
        #expect(PerfAccess.decide(paranoid: nil, privileged: true).mode == .off)
        #expect(PerfAccess.privileged(status: "Name:\tx\nCapEff:\t000001ffffffffff\n"))
        #expect(PerfAccess.privileged(status: "CapEff:\t0000004000000000\n"))  // CAP_PERFMON alone
        #expect(!PerfAccess.privileged(status: "CapEff:\t0000000000000000\n"))
    }

    @Test func restrictedPlansSayWhy() throws {
        let userOnly = PerfAccess.decide(paranoid: 2, privileged: false)
        func plan(_ name: String, _ access: PerfAccess = userOnly) throws -> CounterEvent.Plan {
            CounterEvent(name: CounterName(name), encoding: try EventEncoder.encode(name)).plan(under: access)
        }
        guard case .unavailable(let kernelOnly) = try plan("cycles:k") else { Issue.record("cycles:k opened"); return }
        #expect(kernelOnly.contains("kernel mode only") && kernelOnly.contains("perf_event_paranoid 2"))
        guard case .unavailable(let switches) = try plan("context-switches") else { Issue.record("switches opened"); return }
        #expect(switches.contains("would read 0"))
        #expect(try plan("task-clock") == .open(note: nil))
        guard case .open(let note?) = try plan("page-faults") else { Issue.record("page-faults without a note"); return }
        #expect(note.contains("user mode only"))
        guard case .unavailable(let off) = try plan("task-clock", PerfAccess.decide(paranoid: 3, privileged: false)) else {
            Issue.record("task-clock opened under paranoid 3"); return
        }
        #expect(off.contains("counters off"))
    }

    /// Software counters really count: N fresh pages touched between begin and end are N faults.
    @Test func pageFaultsCountTouchedPages() throws {
        let pages = 300, size = pages * 4096
        let event = CounterEvent(name: "page-faults", encoding: try EventEncoder.encode("page-faults"))
        let set = CounterSet(events: [event], tasks: [0], access: .current())
        #expect(set.unavailableReason("page-faults") == nil)
        let p = try #require(mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0))
        defer { munmap(p, size) }
        set.begin()
        for page in 0..<pages { p.storeBytes(of: 1, toByteOffset: page * 4096, as: UInt8.self) }
        set.end()
        let faults = try #require(set.values(ops: 1)["page-faults"]?.perOp)
        #expect(abs(faults - Double(pages)) <= 0.05 * Double(pages), "\(faults) faults for \(pages) pages")
    }

    /// Through the runner: the madvise-fault benchmark faults its pages back on every op, in
    /// each of the three counting batches. task-clock first: under a task-clock leader the
    /// kernel stopped re-enabling page-faults after the first batch (1/3 of the faults), which
    /// is why events of different PMUs no longer share a group.
    @Test func pageFaultsPerOpOfTheFaultBenchmark() throws {
        var options = RunPlan(repetitions: 2, minBatchTimeMs: 2, warmupMs: 0)
        options.counters = try CounterEvent.parseList("task-clock,page-faults,minor-faults")
        #expect(options.countingBatches == 3)
        let report = try Runner(plan: options).run(try Catalog.select(["syscall/madvise-fault16/raw"]))
        let result = try #require(report.results.first)
        #expect(result.status == .ok, "\(result.error ?? "")")
        for name: CounterName in ["page-faults", "minor-faults"] {
            let faults = try #require(result.counters?[name]?.perOp)
            #expect(abs(faults - Double(Fixtures.faultPageCount)) <= 0.05 * Double(Fixtures.faultPageCount), "\(name): \(faults)")
        }
        #expect(result.counters?["task-clock"]?.status == .ok && (result.counters?["task-clock"]?.perOp ?? 0) > 0)
        #expect(report.config.counters == ["task-clock", "page-faults", "minor-faults"])
        #expect(report.config.counterAccess == PerfAccess.current())
    }

    @Test func onlyEventsOfOnePMUShareAGroup() throws {
        func pmu(_ name: String) throws -> String { CounterSet.pmu(of: try EventEncoder.encode(name)) }
        #expect(try pmu("cycles") == pmu("dTLB-load-misses"))
        #expect(try pmu("page-faults") == pmu("context-switches"))
        #expect(try pmu("task-clock") != pmu("page-faults"))
        #expect(try pmu("task-clock") != pmu("cpu-clock"))
        #expect(try pmu("cycles") != pmu("page-faults"))
    }

    /// Hardware events are either counted or unavailable with a reason; never a zero standing in.
    @Test func hardwareCountersAreCountedOrExplained() throws {
        var options = RunPlan(repetitions: 2, minBatchTimeMs: 2, warmupMs: 0)
        options.counters = try CounterEvent.parseList("cycles,instructions:u,task-clock")
        let report = try Runner(plan: options).run(try Catalog.select(["syscall/getppid/raw"]))
        let counters = try #require(report.results.first?.counters)
        for name: CounterName in ["cycles", "instructions:u"] {
            let c = try #require(counters[name])
            if PMUInventory().hardwarePMUs().isEmpty {
                #expect(c.status == .unavailable && c.perOp == nil)
                #expect(c.reason?.contains("no hardware PMU") == true, "\(c.reason ?? "")")
            } else if c.status == .ok {
                #expect((c.perOp ?? 0) > 0)
            } else {
                #expect(c.reason?.isEmpty == false)
            }
        }
        #expect(counters["task-clock"]?.status == .ok && (counters["task-clock"]?.perOp ?? 0) > 0)
    }

    @Test func derivedMetricsNeedEveryInput() {
        let counters: [CounterName: CounterValue] = ["cycles:u": .ok(100), "cycles:k": .ok(300), "instructions:u": .ok(50),
                                                "instructions:k": .unavailable("no PMU")]
        let derived = CounterMetric.compute(counters)
        #expect(derived?[.ipcUser] == 0.5)
        #expect(derived?[.kernelCycleShare] == 0.75)
        #expect(derived?[.ipcKernel] == nil)
        #expect(CounterMetric.compute(["task-clock": .ok(10)]) == nil)
    }

    /// An unprivileged user under perf_event_paranoid 2: the run completes, counts what user
    /// mode may, and says what it could not count and why.
    @Test(.enabled(if: geteuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")))
    func unprivilegedRunCompletesAndStatesTheRestriction() throws {
        let path = "/tmp/syscost-nobody-\(UUID()).json"
        defer { unlink(path) }
        let r = try CLI.run(["run", "syscall/getppid/raw", "--quick", "--warmup", "0", "--counters", "default", "--output", path],
                            as: "65534")
        #expect(r.status == 0, "\(r.stderr)")
        let report = try RunReport.decode(try Data(contentsOf: URL(fileURLWithPath: path)))
        let access = try #require(report.config.counterAccess)
        #expect(!access.privileged)
        let counters = try #require(report.results.first?.counters)
        #expect(counters["task-clock"]?.status == .ok)
        if access.paranoid == 2 {
            #expect(access.mode == .userOnly)
            #expect(r.stderr.contains("user mode only: perf_event_paranoid is 2"), "\(r.stderr)")
            #expect(r.stdout.contains("user mode only"))
            #expect(counters["cycles:k"]?.reason?.contains("perf_event_paranoid 2") == true)
            #expect(counters["context-switches"]?.status == .unavailable)
        }
    }
}
