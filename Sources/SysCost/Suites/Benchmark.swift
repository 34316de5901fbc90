import CSysCost
import Foundation
import SysCostModel
import SysCostSuites

/// One measurable operation: its id, what it is, and how to set it up, check and repeat it.
public struct Benchmark: Sendable {
    public let id: BenchmarkID
    public let category: Category
    /// Kernel entries one operation makes (an openat+close op makes 2).
    public let syscallsPerOp: Int
    public let description: String
    /// Prepares what the operation works on; the fixture closes it again.
    let makeFixture: @Sendable () throws -> Fixture
    /// The C loop that repeats the operation.
    let loop: sc_loop_fn
    /// Runs the operation once and compares it with libc; throws `CheckFailure` on a mismatch.
    let check: @Sendable (Fixture) throws -> Void
    /// What a result reports: ns per op, or per switch for ping-pongs, whose op (one round
    /// trip) is `perOp` switches.
    public var unit: FigureUnit = .nsPerOp
    public var perOp = 1.0
    /// Benchmarks this one's derived figures need from the same run (its baselines): they
    /// join any selection that has this one.
    public var relations: [Relation] = []
    /// Run untimed before every timed batch, to start each batch from the same state
    /// (the indirect suite walks its whole buffer once, so no batch pays a cold refill).
    var beforeBatch: (@Sendable (Fixture) -> Void)?
    /// Run untimed after every batch (a yield peer goes back to sleep).
    var afterBatch: (@Sendable (Fixture) -> Void)?
    /// The process that times its batches. Every `*/libc` benchmark is timed in the lean twin,
    /// which glibc sees as single-threaded: once a process has had a second thread, glibc's
    /// wrappers of cancellation points (read, write, poll, …) take a longer path for good.
    public var process: MeasuringProcess
    /// Whether setting it up or running it starts a thread through glibc (pthread_create): the
    /// runner sets such benchmarks up after it has forked the lean twin.
    public var startsThreads = false
    /// Whether the tasks the op makes (a forked child, a new thread) may preempt the task that
    /// times it: such a batch is not taken again, since every batch may be.
    public var makesTasks = false
    /// Whether a run with no selection measures it; the rest are run by name or preset (the
    /// 1 GiB fork: seconds of set-up and teardown for one figure).
    public var inDefaultMatrix = true

    init(_ id: BenchmarkID, category: Category, syscallsPerOp: Int = 1,
         description: String, fixture: @escaping @Sendable () throws -> Fixture = { Fixture() },
         loop: sc_loop_fn, check: @escaping @Sendable (Fixture) throws -> Void) {
        self.id = id; self.category = category
        self.syscallsPerOp = syscallsPerOp; self.description = description
        self.makeFixture = fixture; self.loop = loop; self.check = check
        // glibc's calls are timed in the lean twin: single-threaded, as a small program is.
        process = Suites.usesLibc(id) ? .leanTwin : .runner
    }

    public var suite: SuiteName { id.suite }

    /// Sets the benchmark up and runs its check once.
    public func prepare() throws -> Fixture {
        let fixture = try makeFixture()
        try check(fixture)
        return fixture
    }
}

/// Which process times a benchmark's batches.
public enum MeasuringProcess: Sendable, Equatable {
    /// The runner's own thread.
    case runner
    /// A twin forked before the runner sets up its own benchmarks or ever has a second thread:
    /// single-threaded as glibc sees it, and small (what a fork copies is syscost's process,
    /// not the run's other fixtures).
    case leanTwin
    /// A twin with one idle extra thread: what a multi-threaded program pays.
    case threadedTwin
}

/// A benchmark that cannot run here (one CPU allowed, for a cross-CPU ping-pong): reported
/// as skipped with the reason, not as a failure.
public struct Skip: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// A check that found the raw operation disagreeing with libc.
public struct CheckFailure: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// Owns an `sc_ctx` and everything it points at; releases them on deinit.
public final class Fixture {
    public let ctx: UnsafeMutablePointer<sc_ctx>
    private var cleanups: [() -> Void] = []

    public init() {
        ctx = .allocate(capacity: 1)
        ctx.initialize(to: sc_ctx())
        ctx.pointee.fd = (-1, -1, -1, -1)
    }

    deinit {
        for cleanup in cleanups.reversed() { cleanup() }
        ctx.deinitialize(count: 1)
        ctx.deallocate()
    }

    /// Why the benchmark cannot go on (a dead peer), looked at after every batch; with
    /// `true` the caller saw the peer go away and waits briefly for its exit status.
    public var failure: ((Bool) -> String?)?
    /// The other tasks the benchmark involves (a ping-pong's peer), counted with the
    /// measuring thread; nil for a benchmark of one thread.
    public var peerTasks: (() -> Result<[pid_t], CheckFailure>)?

    /// Registers a clean-up run when the fixture goes away (last registered runs first).
    public func onDeinit(_ cleanup: @escaping () -> Void) { cleanups.append(cleanup) }

    /// A zeroed, 64-byte-aligned scratch buffer owned by the fixture.
    public func buffer(_ size: Int) -> UnsafeMutableRawPointer {
        let p = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 64)
        p.initializeMemory(as: UInt8.self, repeating: 0, count: size)
        onDeinit { p.deallocate() }
        return p
    }

    /// A C string owned by the fixture.
    public func cString(_ s: String) -> UnsafePointer<CChar> {
        let p = strdup(s)!
        onDeinit { free(p) }
        return UnsafePointer(p)
    }

    /// The four descriptors an `sc_ctx` holds (`fd[0]` … `fd[3]`): a slot that does not exist
    /// cannot be named.
    public enum Slot: Int, Sendable { case first = 0, second, third, fourth }

    /// Adopts a file descriptor (the result of the call that made it: negative is its
    /// failure, with errno): it is closed with the fixture.
    @discardableResult
    public func adopt(_ fd: Int32, slot: Slot) throws -> Int32 {
        guard fd >= 0 else { throw SysCostError.system("setting up descriptor \(slot.rawValue)", errno) }
        onDeinit { close(fd) }
        switch slot {
        case .first: ctx.pointee.fd.0 = fd
        case .second: ctx.pointee.fd.1 = fd
        case .third: ctx.pointee.fd.2 = fd
        case .fourth: ctx.pointee.fd.3 = fd
        }
        return fd
    }

    public var fd0: Int32 { ctx.pointee.fd.0 }
    public var fd1: Int32 { ctx.pointee.fd.1 }
    public var fd2: Int32 { ctx.pointee.fd.2 }
}
