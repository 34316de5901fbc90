import CSysCost
import Foundation
import SysCostModel

/// A forked copy of the measuring process on the same CPU, timing the batches the runner asks
/// for right beside its own. It works on copies of the jobs' fixtures (fork copies them) and
/// meets the same host phase, so its batches pair round by round with the runner's. What makes
/// it a twin is what the runner cannot be:
/// - `filtered`: a seccomp filter installed (the "with" half of `--seccomp`);
/// - `lean`: forked before the runner sets up its own benchmarks or ever has a second thread:
///   glibc sees it as single-threaded (glibc never forgets a second thread: a child forked
///   later keeps the long path of its cancellation-point wrappers), and a fork in it copies
///   syscost's own small process, whatever else the run selected. `*/libc` benchmarks and
///   the lifecycle suite are timed there;
/// - `threaded`: a twin with one idle extra thread, where the `libc-threaded` variants are.
/// Only benchmarks of one thread with no per-batch hooks can be timed in a twin.
final class Twin {
    enum Kind {
        case filtered(SeccompFilter)
        case lean
        case threaded
    }

    let kind: Kind
    let pid: pid_t
    private let commands: Int32
    private let results: Int32
    private let index: [ObjectIdentifier: Int32]
    private let table: UnsafeMutablePointer<sc_twin_job>

    /// Whether `job` can be timed in a twin at all.
    static func canTime(_ job: Job) -> Bool {
        guard let f = job.fixture else { return false }
        return f.peerTasks == nil && job.benchmark.beforeBatch == nil && job.benchmark.afterBatch == nil
    }

    /// Forks the twin for `jobs` (those `canTime` allows), pinned to `cpu`.
    init(_ kind: Kind, cpu: Int, jobs: [Job]) throws {
        let eligible = jobs.filter(Self.canTime)
        // Everything is set up in locals, and cleaned up here on failure: a throw before every
        // property is set runs no deinit.
        let jobTable = UnsafeMutablePointer<sc_twin_job>.allocate(capacity: max(eligible.count, 1))
        for (i, job) in eligible.enumerated() { jobTable[i] = sc_twin_job(loop: job.benchmark.loop, ctx: job.fixture!.ctx) }
        var cmd: [Int32] = [-1, -1], res: [Int32] = [-1, -1]
        guard sc_pipe2(&cmd, O_CLOEXEC) == 0, sc_pipe2(&res, O_CLOEXEC) == 0 else {
            let code = errno
            for fd in cmd + res where fd >= 0 { close(fd) }
            jobTable.deallocate()
            throw SysCostError.system("pipe2 for the \(kind.name)", code)
        }
        let child = Self.fork(kind, cpu: cpu, cmd: cmd, res: res, table: jobTable, count: eligible.count)
        let forkErrno = errno
        close(cmd[0])
        close(res[1])
        guard child > 0 else {
            close(cmd[1]); close(res[0]); jobTable.deallocate()
            throw SysCostError.system("forking the \(kind.name)", forkErrno)
        }
        var ready: UInt8 = 0
        guard read(res[0], &ready, 1) == 1 else {
            var status: Int32 = 0
            close(cmd[1])
            waitpid(child, &status, 0)
            close(res[0]); jobTable.deallocate()
            throw kind.startFailure(exitCode: (status >> 8) & 0xff)
        }
        self.kind = kind
        table = jobTable
        index = Dictionary(uniqueKeysWithValues: eligible.enumerated().map { (ObjectIdentifier($0.element), Int32($0.offset)) })
        commands = cmd[1]
        results = res[0]
        pid = child
    }

    private static func fork(_ kind: Kind, cpu: Int, cmd: [Int32], res: [Int32], table: UnsafeMutablePointer<sc_twin_job>,
                             count: Int) -> pid_t {
        let parentEnds: [Int32] = [cmd[1], res[0]]
        let program: [sock_filter]
        if case .filtered(let filter) = kind { program = filter.program } else { program = [] }
        let idle: Int32 = if case .threaded = kind { 1 } else { 0 }
        return program.withUnsafeBufferPointer { filter in
            parentEnds.withUnsafeBufferPointer { ends in
                sc_fork_twin(program.isEmpty ? nil : filter.baseAddress, UInt16(filter.count), Int32(cpu), cmd[0], res[1],
                             ends.baseAddress, 2, table, Int32(count), idle)
            }
        }
    }

    deinit {
        var quit = sc_twin_cmd(job: SC_TWIN_QUIT, iterations: 0)
        _ = write(commands, &quit, MemoryLayout<sc_twin_cmd>.size)
        close(commands)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        close(results)
        table.deallocate()
    }

    func takes(_ job: Job) -> Bool { index[ObjectIdentifier(job)] != nil }

    /// One batch of `job` in the twin, and whether the scheduler preempted the twin in it; nil
    /// when the twin cannot time it (or went away).
    func timeWithPreemption(_ job: Job) -> (batch: Batch, preempted: Bool)? {
        guard let i = index[ObjectIdentifier(job)] else { return nil }
        var command = sc_twin_cmd(job: i, iterations: UInt64(job.iterations))
        guard write(commands, &command, MemoryLayout<sc_twin_cmd>.size) == MemoryLayout<sc_twin_cmd>.size else { return nil }
        var t = sc_batch_time()
        guard read(results, &t, MemoryLayout<sc_batch_time>.size) == MemoryLayout<sc_batch_time>.size else { return nil }
        return (Batch(iterations: job.iterations, t), t.involuntary > 0)
    }

    /// One batch of `job` in the twin, or nil when the twin cannot time it (or went away).
    func time(_ job: Job) -> Batch? { timeWithPreemption(job)?.batch }
}

extension Twin.Kind {
    var name: String {
        switch self {
        case .filtered: return "filtered twin"
        case .lean: return "lean twin"
        case .threaded: return "twin with a second thread"
        }
    }

    func startFailure(exitCode: Int32) -> Error {
        switch self {
        case .filtered(let filter):
            return SysCostError.usage("the \(filter) seccomp filter could not be installed in the twin (exit \(exitCode)); an in-run A/B needs it")
        case .lean, .threaded:
            return CheckFailure("the \(name) did not start (exit \(exitCode))")
        }
    }
}
