import CSysCost
import Foundation
@testable import SysCost
@testable import SysCostModel
@testable import SysCostSuites
import Testing
import SysCostTestSupport

/// The suites LEBench tracks (lifecycle, memory, io) and what a second thread costs glibc's
/// cancellation points: every check sees the kernel's work and fails when there is none, the
/// twins time what the runner cannot, and LEBench's every test maps to a benchmark.
@Suite(.serialized) struct LEBenchSuitesTests {
    typealias Op = @Sendable (UnsafeMutablePointer<sc_ctx>) -> Int
    typealias Check = @Sendable (Fixture) throws -> Void
    static let noOp: Op = { _ in 0 }

    /// `check(op)` passes on `fixture` with the real op and throws with the no-op.
    func realPassesNoOpFails(_ what: String, _ fixture: Fixture, _ op: @escaping Op, _ check: (@escaping Op) -> Check) throws {
        try check(op)(fixture)
        #expect(throws: CheckFailure.self, "\(what): the check passed a no-op") { try check(Self.noOp)(fixture) }
    }

    @Test func aNoOpFailsEachLifecycleCheck() throws {
        typealias L = LifecycleSuite
        try realPassesNoOpFails("fork parent", try L.slotFixture(), sc_op_fork_parent, L.forkCheck)
        try realPassesNoOpFails("fork child", try L.slotFixture(), sc_op_fork_child, L.forkCheck)
        try realPassesNoOpFails("big fork parent", try L.bigFixture(4 << 20), sc_op_fork_big_parent, L.forkCheck)
        try realPassesNoOpFails("big fork child", try L.bigFixture(4 << 20), sc_op_fork_big_child, L.forkCheck)
        try realPassesNoOpFails("vfork", try L.slotFixture(), sc_op_vfork_exit) { L.statusCheck($0, exit: SC_CHILD_EXIT) }
        try realPassesNoOpFails("fork-exec", try L.programFixture(), sc_op_fork_exec) { L.statusCheck($0, exit: TinyProgram.exitCode) }
        try realPassesNoOpFails("posix-spawn", try L.programFixture(), sc_op_posix_spawn_libc) { L.statusCheck($0, exit: TinyProgram.exitCode) }
        try realPassesNoOpFails("exit", try L.exitFixture(0), sc_op_exit_mapped, L.exitCheck)
        try realPassesNoOpFails("exit with mappings", try L.exitFixture(100), sc_op_exit_mapped, L.exitCheck)
        try realPassesNoOpFails("clone3 parent", try L.threadFixture(), sc_op_clone3_thread_parent, L.threadCheck)
        try realPassesNoOpFails("clone3 child", try L.threadFixture(), sc_op_clone3_thread_child, L.threadCheck)
        try realPassesNoOpFails("pthread parent", try L.sharedSlot(), sc_op_pthread_create_parent, L.pthreadCheck)
        try realPassesNoOpFails("pthread child", try L.sharedSlot(), sc_op_pthread_create_child, L.pthreadCheck)
    }

    @Test func aNoOpFailsEachMemoryCheck() throws {
        typealias M = MemorySuite
        for size in MemoryDescriptor.sizes {
            try realPassesNoOpFails("mmap \(size)", try PatternFile.privateFixture(size), sc_op_mmap_file, M.mmapCheck)
            try realPassesNoOpFails("munmap \(size)", try PatternFile.privateFixture(size), sc_op_munmap_file, M.munmapCheck)
            try realPassesNoOpFails("file fault \(size)", try PatternFile.fixture(size), sc_op_fault_file, M.fileFaultCheck)
            try realPassesNoOpFails("anon fault \(size)", try PatternFile.fixture(size), sc_op_fault_anon, M.anonFaultCheck)
        }
    }

    @Test func aNoOpFailsEachIOCheck() throws {
        for size in IODescriptor.sizes {
            try realPassesNoOpFails("read \(size)", try IOSuite.fileFixture(size), sc_op_pread_size, IOSuite.readCheck)
            try realPassesNoOpFails("write \(size)", try IOSuite.fileFixture(size), sc_op_pwrite_size, IOSuite.writeCheck)
        }
        try realPassesNoOpFails("big send/recv", try IOSuite.socketFixture(), sc_op_send_recv_size, IOSuite.sendRecvCheck)
        for count in IODescriptor.descriptorCounts {
            for ready in [true, false] {
                for (call, op) in [("select", sc_op_select_many), ("poll", sc_op_poll_many), ("epoll", sc_op_epoll_many)] as [(String, Op)] {
                    try realPassesNoOpFails("\(call) \(count) \(ready)", try ManyDescriptors.fixture(count: count, ready: ready), op) {
                        ManyDescriptors.check($0, ready: ready)
                    }
                }
            }
        }
    }

    /// The glibc cancellation points' checks compare glibc with the raw call: a no-op glibc
    /// side fails (and so does a no-op raw one).
    @Test func aNoOpFailsEachCancellationPointCheck() throws {
        for call in SyscallSuite.cancellationPointCalls {
            try realPassesNoOpFails(call.name, try call.fixture(), call.libc, call.check)
        }
        try realPassesNoOpFails("read behind a call", try Fixtures.openDevice("/dev/zero", O_RDONLY), sc_op_read_raw_call,
                                SyscallSuite.readBehindCallCheck)
    }

    /// A part-timed batch counts its parts, and the TSC cycles in the same share.
    @Test func aBatchOfTimedPartsCountsThoseParts() {
        let whole = Batch(iterations: 4, sc_batch_time(ns: 1000, cycles: 3000, part_ns: 0, involuntary: 0))
        #expect(whole.ns == 1000 && whole.cycles == 3000 && whole.wallNs == 1000)
        let part = Batch(iterations: 4, sc_batch_time(ns: 1000, cycles: 3000, part_ns: 250, involuntary: 0))
        #expect(part.ns == 250 && part.cycles == 750 && part.wallNs == 1000)
        #expect(part.nsPerOp == 62.5)
    }

    /// A fork's timed part is the parent's return: part of the op, not the child's exit and
    /// reaping (the whole op takes longer than the part it reports).
    @Test func aForkBatchReportsLessThanItsWholeTime() throws {
        let f = try LifecycleSuite.slotFixture()
        var t = sc_batch_time()
        sc_time_batch(sc_loop_fork_parent, f.ctx, 20, &t)
        #expect(t.part_ns > 0 && t.part_ns < t.ns, "part \(t.part_ns) ns of \(t.ns) ns")
    }

    /// In a test runner (a process that has had threads), the `libc` figures cannot be
    /// single-threaded: they say so. The threaded variant carries what the second thread adds,
    /// paired by round.
    @Test func inAThreadedProcessTheLibcFiguresSaySo() throws {
        let report = try Runner(plan: RunPlan(repetitions: 6, minBatchTimeMs: 1, warmupMs: 10))
            .run(try Catalog.select(["syscall/read/libc-threaded"]))
        let byID = report.results.byID
        let single = try #require(byID[BenchmarkID(.syscall, "read", "libc")])
        let threaded = try #require(byID[BenchmarkID(.syscall, "read", "libc-threaded")])
        #expect(single.status == .ok && threaded.status == .ok)
        #expect(single.warnings.contains { $0.kind == .multiThreaded })
        let figure = try #require(threaded.figures.first { $0.kind == .secondThreadCost })
        #expect(figure.rounds == 6 && figure.low != nil && figure.high != nil)
        #expect(try report.export(as: .table).contains("a second thread adds"))
    }

    /// The syscost command times `libc` figures single-threaded: no warning, and the lifecycle
    /// suite's forks come back from the lean twin.
    @Test func theCommandTimesLibcSingleThreaded() throws {
        let path = CLI.reportPath("single-threaded")
        defer { unlink(path) }
        let r = try CLI.run(["run", "syscall/read/libc-threaded", "lifecycle/fork/parent", "lifecycle/pthread-create/parent",
                             "--repetitions", "6", "--min-batch-time", "1", "--warmup", "0", "--output", path])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let report = try RunReport.decode(try Data(contentsOf: URL(fileURLWithPath: path)))
        let byID = report.results.byID
        let single = try #require(byID[BenchmarkID(.syscall, "read", "libc")])
        #expect(single.status == .ok && !single.warnings.contains { $0.kind == .multiThreaded }, "\(single.warnings)")
        for id in [LifecycleDescriptor.fork(LifecycleDescriptor.parent), LifecycleDescriptor.pthreadCreate(LifecycleDescriptor.parent)] {
            #expect(byID[id]?.status == .ok && byID[id]?.samples.count == 6, "\(id): \(byID[id]?.error ?? "missing")")
        }
    }

    /// Every LEBench test that is a kernel operation maps to benchmarks syscost has, and
    /// `--preset lebench` selects them.
    @Test func everyLEBenchTestMapsToACatalogBenchmark() throws {
        let catalog = Set(Catalog.all().map(\.id))
        for test in LEBench.tests where !["ref", "cpu"].contains(test.name) {
            #expect(!test.ids.isEmpty && test.ids.allSatisfy(catalog.contains), "\(test.name) → \(test.ids)")
        }
        let selected = Set(try Catalog.select(LEBench.ids.map(\.description)).map(\.id))
        #expect(selected.isSuperset(of: LEBench.ids))
        #expect(try Catalog.select([]).allSatisfy(\.inDefaultMatrix))
        #expect(!(try Catalog.select([])).contains { $0.id == LifecycleDescriptor.fork(LifecycleDescriptor.parent, memory: 1 << 30) })
    }
}
