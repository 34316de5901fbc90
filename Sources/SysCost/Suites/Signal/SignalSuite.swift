import CSysCost
import Foundation
import SysCostModel
import SysCostSuites

/// Suite `signal`'s measuring side: a signal sent to the measuring thread and caught, and the
/// signal mask blocked and restored. Each check proves the kernel did the work: the handler's
/// count grows by one per signal, and the mask the first call hands back is the thread's.
struct SignalSuite: Suite {
    func benchmarks(_ setup: CatalogSetup) -> [Benchmark] {
        [Benchmark(SignalDescriptor.caught, category: .communication, syscallsPerOp: 2,
                   description: "SIGUSR1 sent to this thread (tgkill) and caught: delivery, a handler that counts, rt_sigreturn",
                   fixture: Self.catchFixture, loop: sc_loop_signal_catch_raw, check: Self.catchCheck(sc_op_signal_catch_raw)),
         Benchmark(SignalDescriptor.maskRoundTrip, category: .protection, syscallsPerOp: 2,
                   description: "SIGUSR2 blocked and the old mask restored: two rt_sigprocmask calls",
                   fixture: Self.maskFixture, loop: sc_loop_sigprocmask_roundtrip_raw, check: Self.maskCheck(sc_op_sigprocmask_roundtrip_raw))]
    }

    /// The counting handler, installed once for the process and left (syscost sends itself
    /// SIGUSR1 for nothing else), so benchmarks set up side by side never remove it under
    /// each other.
    static let handlerInstalled: Void = {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = sc_signal_count
        sigemptyset(&action.sa_mask)
        sigaction(SC_SIGNAL_CAUGHT, &action, nil)
    }()

    /// This thread's pid and tid in arg[0] and arg[1], the caught signal unblocked here (a
    /// runner's thread may have been started with it blocked; the old mask comes back with the
    /// fixture).
    static func catchFixture() throws -> Fixture {
        _ = handlerInstalled
        let f = Fixture()
        f.ctx.pointee.arg.0 = Int(getpid())
        f.ctx.pointee.arg.1 = sc_syscall0(Int(SYS_gettid))
        var unblock = sigset_t(), old = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, SC_SIGNAL_CAUGHT)
        pthread_sigmask(SIG_UNBLOCK, &unblock, &old)
        f.onDeinit { var restore = old; pthread_sigmask(SIG_SETMASK, &restore, nil) }
        return f
    }

    /// `op` must send one signal that the handler catches, as glibc's raise() does.
    static func catchCheck(_ op: @escaping @Sendable (UnsafeMutablePointer<sc_ctx>) -> Int) -> @Sendable (Fixture) throws -> Void {
        { f in
            let before = sc_signal_caught_here()
            try Expect.equal(op(f.ctx), 0, "tgkill(self, SIGUSR1)")
            try Expect.that(sc_signal_caught_here() == before + 1,
                            "one signal sent, \(sc_signal_caught_here() - before) caught by the handler")
            try Expect.that(raise(SC_SIGNAL_CAUGHT) == 0 && sc_signal_caught_here() == before + 2, "raise(SIGUSR1) was not caught once")
        }
    }

    /// The blocked set (SIGUSR2) at buf, and a sentinel where the old mask will go: no real mask
    /// is every bit (SIGKILL and SIGSTOP are never blocked), so a call that wrote nothing shows.
    static func maskFixture() throws -> Fixture {
        let f = Fixtures.scratch(64)
        f.ctx.pointee.buf.storeBytes(of: UInt64(1) << UInt64(SC_SIGNAL_MASKED - 1), as: UInt64.self)
        Self.resetSentinel(f)
        return f
    }

    static func resetSentinel(_ f: Fixture) {
        (f.ctx.pointee.buf + 8).storeBytes(of: UInt64.max, as: UInt64.self)
    }

    /// `op` must hand back the thread's mask as it was, and leave it so.
    static func maskCheck(_ op: @escaping @Sendable (UnsafeMutablePointer<sc_ctx>) -> Int) -> @Sendable (Fixture) throws -> Void {
        { f in
            var before = sigset_t(), after = sigset_t()
            pthread_sigmask(SIG_BLOCK, nil, &before)
            resetSentinel(f)
            try Expect.equal(op(f.ctx), 0, "rt_sigprocmask block, then restore")
            pthread_sigmask(SIG_BLOCK, nil, &after)
            let old = (f.ctx.pointee.buf + 8).load(as: UInt64.self)
            let was = withUnsafeBytes(of: &before) { $0.load(as: UInt64.self) }
            try Expect.equal(old, was, "the mask rt_sigprocmask handed back")
            try Expect.that(withUnsafeBytes(of: &after) { $0.load(as: UInt64.self) } == was, "the mask was not restored")
        }
    }
}
