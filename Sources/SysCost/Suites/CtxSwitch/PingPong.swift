import CSysCost
import Foundation
import SysCostModel

/// Two tasks and the channel between them, set up for a ping-pong: the parent side's
/// descriptors in the fixture's ctx, the peer (forked process or thread) started and pinned.
/// Stopping asks the peer to exit, then kills and reaps a process that does not.
final class PingPong {
    enum Kind: String { case process, thread }
    enum Transport: String, CaseIterable {
        case pipe, pipeLibc = "pipe_libc", eventfd, futex, unix, yield
        var code: Int32 {
            switch self {
            case .pipe: return Int32(SC_PIPE)
            case .pipeLibc: return Int32(SC_PIPE_LIBC)
            case .eventfd: return Int32(SC_EVENTFD)
            case .futex: return Int32(SC_FUTEX)
            case .unix: return Int32(SC_UNIX)
            case .yield: return Int32(SC_YIELD)
            }
        }
    }

    /// A batch whose round trips stop for this long has a dead or stuck peer.
    static let batchTimeoutNs: UInt64 = 2_000_000_000

    let peer: UnsafeMutablePointer<sc_peer>
    let shared: UnsafeMutablePointer<sc_shared>
    private(set) var pid: pid_t = 0
    /// The peer's process or thread id, for its counter.
    private var peerTask: pid_t = 0
    private var thread: pthread_t?
    private var parentWrite: Int32 = -1
    private var descriptors: [Int32] = []
    private var reaped: String?

    /// Starts a peer of `kind` on `peerCPU` for `transport`, wiring `f`'s ctx as the parent.
    init(_ transport: Transport, _ kind: Kind, peerCPU: Int, workingSet: Int, into f: Fixture) throws {
        // A write to a dead peer's pipe must fail with EPIPE, not kill syscost.
        signal(SIGPIPE, SIG_IGN)
        peer = .allocate(capacity: 1)
        peer.initialize(to: sc_peer())
        let mapping = mmap(nil, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0)
        guard let mapping, mapping != MAP_FAILED else { throw SysCostError.system("mmap", errno) }
        shared = mapping.bindMemory(to: sc_shared.self, capacity: 1)
        shared.initialize(to: sc_shared(turn: 0, stop: 0, active: 0))

        // Parent → peer on channel A, peer → parent on channel B.
        let (aRead, aWrite) = try Self.channel(transport)
        let (bRead, bWrite) = try Self.channel(transport)
        descriptors = [aRead, aWrite, bRead, bWrite].filter { $0 >= 0 }
        peer.pointee.transport = transport.code
        peer.pointee.in_fd = aRead
        peer.pointee.out_fd = bWrite
        peer.pointee.shared = shared
        peer.pointee.cpu = Int32(peerCPU)
        if workingSet > 0 {
            peer.pointee.touch = f.buffer(workingSet)
            peer.pointee.touch_len = workingSet
            f.ctx.pointee.touch = f.buffer(workingSet)
            f.ctx.pointee.touch_len = workingSet
        }
        f.ctx.pointee.fd = (bRead, aWrite, -1, -1)
        f.ctx.pointee.shared = UnsafeMutableRawPointer(shared)
        f.ctx.pointee.timeout_ns = Self.batchTimeoutNs
        parentWrite = aWrite
        f.onDeinit { [self] in stop() }

        switch kind {
        case .process: try startProcess(peerEnds: [aRead, bWrite].filter { $0 >= 0 && $0 != aWrite && $0 != bRead })
        case .thread: try startThread()
        }
        f.peerTasks = { [self] in
            peerTask > 0 ? .success([peerTask]) : .failure(CheckFailure("the peer thread never reported its thread id"))
        }
        f.failure = { [self] gone in peerFailure(waitForExit: gone) }
    }

    /// Forks the peer. The peer's ends are the child's now; closing ours lets a dead peer show
    /// as EOF (an eventfd is one descriptor for both ends: the parent keeps it).
    private func startProcess(peerEnds: [Int32]) throws {
        pid = sc_fork_peer(peer)
        guard pid > 0 else { throw SysCostError.system("fork", errno) }
        for fd in peerEnds {
            close(fd)
            descriptors.removeAll { $0 == fd }
        }
        peerTask = pid
    }

    /// Starts the peer thread and learns its id, which it stores as it starts (waited for up
    /// to 2 s: the thread says when it got there).
    private func startThread() throws {
        var t = pthread_t()
        let rc = sc_start_peer_thread(peer, &t)
        guard rc == 0 else { throw SysCostError.system("pthread_create", rc) }
        thread = t
        var tid: pid_t = 0
        for _ in 0..<2000 {
            tid = withUnsafeMutablePointer(to: &peer.pointee.tid) { $0.withMemoryRebound(to: Int32.self, capacity: 1) { $0.pointee } }
            if tid != 0 { break }
            usleep(1000)
        }
        peerTask = tid
    }

    /// A channel's read and write ends (the same socket twice for unix; none for futex, yield).
    static func channel(_ transport: Transport) throws -> (Int32, Int32) {
        switch transport {
        case .pipe, .pipeLibc:
            var fds: [Int32] = [-1, -1]
            guard sc_pipe2(&fds, O_CLOEXEC) == 0 else { throw SysCostError.system("pipe2", errno) }
            return (fds[0], fds[1])
        case .eventfd:
            let fd = CSysCost.eventfd(0, Int32(EFD_CLOEXEC))
            guard fd >= 0 else { throw SysCostError.system("eventfd", errno) }
            return (fd, fd)
        case .unix:
            var fds: [Int32] = [-1, -1]
            guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds) == 0 else {
                throw SysCostError.system("socketpair", errno)
            }
            return (fds[1], fds[0])  // the peer reads fds[1]; the parent writes fds[0]
        case .futex, .yield:
            return (-1, -1)
        }
    }

    /// How a dead peer died, from waitpid; nil while it lives. `waitForExit`: the parent saw
    /// EOF or EPIPE, so the exit status is due any moment: wait up to 500 ms for it.
    func peerFailure(waitForExit: Bool = false) -> String? {
        if let reaped { return reaped }
        guard pid > 0 else { return nil }
        var status: Int32 = 0
        var r = waitpid(pid, &status, WNOHANG)
        var waited = 0
        while r == 0 && waitForExit && waited < 500 {
            usleep(1000)
            waited += 1
            r = waitpid(pid, &status, WNOHANG)
        }
        guard r == pid else { return nil }
        reaped = Self.describe(status: status, pid: pid)
        pid = 0
        return reaped
    }

    static func describe(status: Int32, pid: pid_t) -> String {
        let signal = status & 0x7f
        if signal == 0 { return "the peer process \(pid) exited with status \((status >> 8) & 0xff)" }
        return "the peer process \(pid) was killed by signal \(signal) (\(String(cString: strsignal(signal))))"
    }

    /// Asks the peer to exit, then kills and reaps a process that does not.
    func stop() {
        shared.pointee.stop = 1
        sc_wake_peer(peer, parentWrite)
        if pid > 0 {
            var status: Int32 = 0
            var gone = false
            for _ in 0..<200 {  // up to 200 ms to exit by itself
                if waitpid(pid, &status, WNOHANG) == pid { gone = true; break }
                usleep(1000)
            }
            if !gone {
                kill(pid, SIGKILL)
                while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            }
            pid = 0
        }
        if let thread {
            if sc_join_peer_thread(thread, 2_000_000_000) != 0 { pthread_detach(thread) }
            self.thread = nil
        }
        for fd in descriptors { close(fd) }
        descriptors = []
    }

    deinit {
        munmap(shared, 4096)
        peer.deallocate()
    }
}
