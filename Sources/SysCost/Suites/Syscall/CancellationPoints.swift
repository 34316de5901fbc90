import CSysCost
import Foundation
import SysCostModel
import SysCostSuites

/// glibc's wrappers of the system calls POSIX makes cancellation points: in a process that has
/// had a second thread they take a longer path (enable asynchronous cancellation around the
/// call, then disable it), which a single-threaded process never pays. Each is measured three
/// ways in one run: raw (in the syscall suite's lists), through glibc in a single-threaded
/// process (`libc`, the lean twin), and through glibc with one idle extra thread
/// (`libc-threaded`, its own twin), so that a round pairs all three.
extension SyscallSuite {
    struct CancellationPoint {
        let name: String
        let syscalls: Int
        let what: String
        let category: SysCostModel.Category
        let fixture: @Sendable () throws -> Fixture
        let libcLoop: sc_loop_fn
        /// One call through glibc, and the same raw: the check wants both to agree.
        let libc: @Sendable (UnsafeMutablePointer<sc_ctx>) -> Int
        let raw: @Sendable (UnsafeMutablePointer<sc_ctx>) -> Int
        /// A call that waits on the fixture's pipe (fd[0] read end, fd[1] write end) finds it
        /// empty in every batch; the check also makes it ready once, so a call that did nothing
        /// cannot agree with the raw one.
        var waitsOnPipe = false

        /// The check of `libc` (the glibc op, or a stand-in a test gives).
        func check(_ libc: @escaping @Sendable (UnsafeMutablePointer<sc_ctx>) -> Int) -> @Sendable (Fixture) throws -> Void {
            let raw = raw, name = name, waits = waitsOnPipe
            return { f in
                // openat takes the lowest free descriptor, which another thread may take first.
                try Expect.sameDescriptor({ (raw(f.ctx), libc(f.ctx)) }, "\(name) through glibc, and raw")
                guard waits else { return }
                var byte: UInt8 = 1
                try Expect.equal(write(f.fd1, &byte, 1), 1, "making the pipe ready")
                defer { _ = read(f.fd0, &byte, 1) }
                try Expect.equal(libc(f.ctx), 1, "\(name) through glibc on a ready pipe")
                try Expect.equal(raw(f.ctx), 1, "\(name) raw on a ready pipe")
            }
        }
    }

    static let cancellationPointCalls: [CancellationPoint] = [
        CancellationPoint(name: "read", syscalls: 1, what: "read 1 byte from /dev/zero", category: .fileManagement,
                          fixture: { try Fixtures.openDevice("/dev/zero", O_RDONLY) }, libcLoop: sc_loop_read_libc,
                          libc: sc_op_read_libc, raw: sc_op_read_raw),
        CancellationPoint(name: "write", syscalls: 1, what: "write 1 byte to /dev/null", category: .fileManagement,
                          fixture: { try Fixtures.openDevice("/dev/null", O_WRONLY) }, libcLoop: sc_loop_write_libc,
                          libc: sc_op_write_libc, raw: sc_op_write_raw),
        CancellationPoint(name: "pread", syscalls: 1, what: "pread 1 byte at offset 0 of a page-cached file", category: .fileManagement,
                          fixture: Fixtures.cachedFile, libcLoop: sc_loop_pread_libc, libc: sc_op_pread_libc, raw: sc_op_pread_raw),
        CancellationPoint(name: "openat-close", syscalls: 2, what: "openat a cached path read-only, then close it",
                          category: .fileManagement, fixture: Fixtures.cachedFile, libcLoop: sc_loop_openat_close_libc,
                          libc: sc_op_openat_close_libc, raw: sc_op_openat_close_raw),
        CancellationPoint(name: "poll", syscalls: 1, what: "poll one empty pipe with a zero timeout", category: .communication,
                          fixture: Fixtures.pipe, libcLoop: sc_loop_poll_libc, libc: sc_op_poll_libc, raw: sc_op_poll_raw,
                          waitsOnPipe: true),
        CancellationPoint(name: "epoll_wait", syscalls: 1, what: "epoll_wait on an empty pipe with a zero timeout",
                          category: .communication, fixture: Fixtures.epoll, libcLoop: sc_loop_epoll_wait_libc,
                          libc: sc_op_epoll_wait_libc, raw: sc_op_epoll_wait_raw, waitsOnPipe: true),
    ]

    /// The raw read behind a call and return of its own, in the lean twin beside glibc's read:
    /// what glibc's read costs beyond a wrapper's shape is glibc's own work, which is none in a
    /// single-threaded process.
    static var readBehindCall: Benchmark {
        var b = bench("read", variant: SyscallDescriptor.rawCall, .fileManagement,
                      "read 1 byte from /dev/zero, the raw syscall inside a function of its own (a wrapper's call and return, no libc)",
                      fixture: { try Fixtures.openDevice("/dev/zero", O_RDONLY) }, loop: sc_loop_read_raw_call,
                      check: readBehindCallCheck(sc_op_read_raw_call))
        b.process = .leanTwin
        return b
    }

    static func readBehindCallCheck(_ op: @escaping @Sendable (UnsafeMutablePointer<sc_ctx>) -> Int) -> @Sendable (Fixture) throws -> Void {
        { f in try Expect.equal(op(f.ctx), sc_op_read_raw(f.ctx), "read 1 byte behind a call, and inline") }
    }

    /// Each call through glibc single-threaded, and with a second thread (which needs the first,
    /// its baseline, in the same run).
    static var cancellationPoints: [Benchmark] {
        [readBehindCall] + cancellationPointCalls.flatMap { call -> [Benchmark] in
            let check = call.check(call.libc)
            let single = bench(call.name, variant: SyscallDescriptor.libc, call.category, syscalls: call.syscalls,
                               "\(call.what) through glibc, in a single-threaded process",
                               fixture: call.fixture, loop: call.libcLoop, check: check)
            var threaded = bench(call.name, variant: SyscallDescriptor.libcThreaded, call.category, syscalls: call.syscalls,
                                 "\(call.what) through glibc, in a process with one idle extra thread",
                                 fixture: call.fixture, loop: call.libcLoop, check: check)
            threaded.process = .threadedTwin
            threaded.relations = [Relation(.singleThreaded, single.id)]
            return [single, threaded]
        }
    }
}
