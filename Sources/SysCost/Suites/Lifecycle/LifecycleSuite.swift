import CSysCost
import Foundation
import SysCostModel
import SysCostSuites

/// Suite `lifecycle`'s measuring side. Every benchmark runs in the lean twin (pthread-create in
/// the threaded one), and every check proves the kernel did the work: the child's exit status
/// came back, the child or thread noted that it ran, the big fork's memory is resident and the
/// child read it, the exiting child made its mappings.
struct LifecycleSuite: Suite {
    typealias Op = @Sendable (UnsafeMutablePointer<sc_ctx>) -> Int
    typealias D = LifecycleDescriptor

    func benchmarks(_ setup: CatalogSetup) -> [Benchmark] {
        var list = [
            bench(D.fork(D.parent), "fork (clone with SIGCHLD, no glibc atfork work): the parent's return; the child exits and is reaped untimed",
                  fixture: Self.slotFixture, loop: sc_loop_fork_parent, check: Self.forkCheck(sc_op_fork_parent)),
            bench(D.fork(D.child), "fork: the time from the call to the child's first instruction",
                  fixture: Self.slotFixture, loop: sc_loop_fork_child, check: Self.forkCheck(sc_op_fork_child)),
        ]
        for size in D.bigForkSizes {
            let label = ByteSize.label(size) + "B"
            let start = list.count
            list.append(bench(D.fork(D.parent, memory: size), "fork of a process holding \(label) of touched anonymous 4 KiB pages: the parent's return",
                              fixture: { try Self.bigFixture(size) }, loop: sc_loop_fork_big_parent, check: Self.forkCheck(sc_op_fork_big_parent)))
            list.append(bench(D.fork(D.child, memory: size), "fork of a process holding \(label) of touched memory: the time until the child ran",
                              fixture: { try Self.bigFixture(size) }, loop: sc_loop_fork_big_child, check: Self.forkCheck(sc_op_fork_big_child)))
            if size > D.defaultMatrixMemory { for i in start..<list.count { list[i].inDefaultMatrix = false } }
        }
        list += [
            bench(D.vfork, "vfork, exit_group in the child, wait4: the whole op", fixture: Self.slotFixture, loop: sc_loop_vfork_exit,
                  check: Self.statusCheck(sc_op_vfork_exit, exit: SC_CHILD_EXIT)),
            bench(D.forkExec, "fork, execve of a 132-byte static program that exits, wait4: the whole op",
                  fixture: Self.programFixture, loop: sc_loop_fork_exec, check: Self.statusCheck(sc_op_fork_exec, exit: TinyProgram.exitCode)),
            bench(D.posixSpawn, "glibc's posix_spawn of the same program, wait4: the whole op",
                  fixture: Self.programFixture, loop: sc_loop_posix_spawn_libc, check: Self.statusCheck(sc_op_posix_spawn_libc, exit: TinyProgram.exitCode)),
            bench(D.exitPlain, "a forked child's exit_group until its parent returns from wait4",
                  fixture: { try Self.exitFixture(0) }, loop: sc_loop_exit_mapped, check: Self.exitCheck(sc_op_exit_mapped)),
            bench(D.exitMapped, "the same, the child holding \(D.exitMappings) more one-page mappings it made (none merge)",
                  fixture: { try Self.exitFixture(D.exitMappings) }, loop: sc_loop_exit_mapped, check: Self.exitCheck(sc_op_exit_mapped)),
            bench(D.clone3Thread(D.parent), "a thread made with raw clone3 (no glibc): the creator's return; it exits and is waited for untimed",
                  fixture: Self.threadFixture, loop: sc_loop_clone3_thread_parent, check: Self.threadCheck(sc_op_clone3_thread_parent)),
            bench(D.clone3Thread(D.child), "a raw clone3 thread: the time until it ran",
                  fixture: Self.threadFixture, loop: sc_loop_clone3_thread_child, check: Self.threadCheck(sc_op_clone3_thread_child)),
        ]
        for (part, what, loop, op) in [(D.parent, "the creator's return; pthread_join untimed", sc_loop_pthread_create_parent, sc_op_pthread_create_parent),
                                       (D.child, "the time until the start routine ran", sc_loop_pthread_create_child, sc_op_pthread_create_child)] as [(String, String, sc_loop_fn, Op)] {
            var b = bench(D.pthreadCreate(part), "pthread_create: \(what)", fixture: Self.sharedSlot, loop: loop, check: Self.pthreadCheck(op))
            b.process = .threadedTwin
            b.startsThreads = true
            b.makesTasks = true
            list.append(b)
        }
        return list
    }

    private func bench(_ id: BenchmarkID, _ description: String, fixture: @escaping @Sendable () throws -> Fixture,
                       loop: sc_loop_fn, check: @escaping @Sendable (Fixture) throws -> Void) -> Benchmark {
        var b = Benchmark(id, category: .processControl, description: description, fixture: fixture, loop: loop, check: check)
        b.process = .leanTwin
        b.makesTasks = true
        return b
    }

    // MARK: fixtures

    /// A MAP_SHARED page for the slot a forked child writes to.
    static func slotFixture() throws -> Fixture {
        let f = Fixture()
        let page = mmap(nil, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0)
        guard let page, page != MAP_FAILED else { throw SysCostError.system("mmap of the child's slot", errno) }
        f.onDeinit { munmap(page, 4096) }
        f.ctx.pointee.shared = page
        return f
    }

    /// A private slot, for threads (they share the address space).
    static func sharedSlot() throws -> Fixture {
        let f = Fixture()
        f.ctx.pointee.shared = f.buffer(MemoryLayout<sc_life_slot>.size)
        return f
    }

    /// The big fork's fixture: the size; the C op makes the memory in the process that runs it.
    static func bigFixture(_ bytes: Int) throws -> Fixture {
        let f = try slotFixture()
        f.ctx.pointee.len = bytes
        let ctx = f.ctx
        f.onDeinit {
            if ctx.pointee.arg.1 == Int(getpid()), let buf = ctx.pointee.buf { munmap(buf, ctx.pointee.len) }
        }
        return f
    }

    static func programFixture() throws -> Fixture {
        let f = try slotFixture()
        try TinyProgram().load(into: f)
        return f
    }

    static func exitFixture(_ mappings: Int) throws -> Fixture {
        let f = try slotFixture()
        f.ctx.pointee.arg.0 = mappings
        return f
    }

    /// A 64 KiB stack for the raw thread, and its slot.
    static func threadFixture() throws -> Fixture {
        let f = try sharedSlot()
        f.ctx.pointee.len = 64 << 10
        f.ctx.pointee.buf = f.buffer(64 << 10)
        return f
    }

    // MARK: checks

    static func slot(_ f: Fixture) -> UnsafeMutablePointer<sc_life_slot> { f.ctx.pointee.shared.assumingMemoryBound(to: sc_life_slot.self) }

    /// `op` must return the exit status `exit` of a child it made (the part of it timed, if any).
    static func statusCheck(_ op: @escaping Op, exit: Int32) -> @Sendable (Fixture) throws -> Void {
        { f in
            let status = op(f.ctx)
            try Expect.that(status == Int(exit) << 8, "the child's wait status is \(status), not an exit with status \(exit)")
        }
    }

    /// A fork: the child exited with SC_CHILD_EXIT, noted that it ran, and (a big fork) read the
    /// parent's memory, which is resident.
    static func forkCheck(_ op: @escaping Op) -> @Sendable (Fixture) throws -> Void {
        { f in
            slot(f).pointee.child_ns = 0
            f.ctx.pointee.part_ns = 0
            try statusCheck(op, exit: SC_CHILD_EXIT)(f)
            try Expect.that(slot(f).pointee.child_ns > 0, "the child never noted that it ran")
            try Expect.that(f.ctx.pointee.part_ns > 0, "the op timed no part of itself")
            guard f.ctx.pointee.len > 0 else { return }
            try Expect.equal(slot(f).pointee.seen, 0x5a + 0xa5, "the first and last byte of the memory, as the child read them")
            try Expect.that(resident(f.ctx.pointee.buf, f.ctx.pointee.len), "the big fork's memory is not all resident")
        }
    }

    /// Every page of `bytes` at `address` is in memory (mincore).
    static func resident(_ address: UnsafeMutableRawPointer?, _ bytes: Int) -> Bool {
        guard let address else { return false }
        var pages = [UInt8](repeating: 0, count: (bytes + 4095) / 4096)
        return mincore(address, bytes, &pages) == 0 && pages.allSatisfy { $0 & 1 == 1 }
    }

    static func exitCheck(_ op: @escaping Op) -> @Sendable (Fixture) throws -> Void {
        { f in
            slot(f).pointee.seen = UInt64.max
            f.ctx.pointee.part_ns = 0
            try statusCheck(op, exit: SC_CHILD_EXIT)(f)
            try Expect.equal(slot(f).pointee.seen, UInt64(f.ctx.pointee.arg.0), "mappings the child made")
            try Expect.that(f.ctx.pointee.part_ns > 0, "the op timed no part of itself")
        }
    }

    /// A raw thread: it had its own id, noted that it ran, and has exited (the id cleared).
    static func threadCheck(_ op: @escaping Op) -> @Sendable (Fixture) throws -> Void {
        { f in
            slot(f).pointee.child_ns = 0
            let tid = op(f.ctx)
            try Expect.that(tid > 0 && tid != sc_gettid(), "clone3 returned \(tid), not a new thread's id")
            try Expect.that(slot(f).pointee.child_ns > 0, "the thread never noted that it ran")
            try Expect.equal(slot(f).pointee.tid, 0, "the thread's id once it has exited")
        }
    }

    static func pthreadCheck(_ op: @escaping Op) -> @Sendable (Fixture) throws -> Void {
        { f in
            slot(f).pointee.child_ns = 0
            try Expect.equal(op(f.ctx), 0, "pthread_create and pthread_join")
            try Expect.that(slot(f).pointee.child_ns > 0, "the thread's start routine never ran")
        }
    }
}
