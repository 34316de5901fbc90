import CSysCost
import Foundation
import SysCostModel

/// The other half of an in-run A/B: a forked copy of the measuring process on the same CPU,
/// with a seccomp filter installed, timing the batches the runner asks for right beside its
/// own. Both halves see the same fixtures (fork copies them) and the same host phase, so the
/// difference of a round's two batches is what the filter costs. Only benchmarks of one
/// thread with no per-batch hooks take part: a twin cannot share a ping-pong's peer.
final class FilteredTwin {
    let pid: pid_t
    private let commands: Int32
    private let results: Int32
    private let index: [ObjectIdentifier: Int32]
    private let table: UnsafeMutablePointer<sc_twin_job>

    init(filter: SeccompFilter, cpu: Int, jobs: [Job]) throws {
        let eligible = jobs.filter { job in
            guard let f = job.fixture else { return false }
            return f.peerTasks == nil && job.benchmark.beforeBatch == nil && job.benchmark.afterBatch == nil
        }
        // Everything is set up in locals, and cleaned up here on failure: a throw before every
        // property is set runs no deinit.
        let jobTable = UnsafeMutablePointer<sc_twin_job>.allocate(capacity: max(eligible.count, 1))
        for (i, job) in eligible.enumerated() { jobTable[i] = sc_twin_job(loop: job.benchmark.loop, ctx: job.fixture!.ctx) }
        var cmd: [Int32] = [-1, -1], res: [Int32] = [-1, -1]
        guard sc_pipe2(&cmd, O_CLOEXEC) == 0, sc_pipe2(&res, O_CLOEXEC) == 0 else {
            let code = errno
            for fd in cmd + res where fd >= 0 { close(fd) }
            jobTable.deallocate()
            throw SysCostError.system("pipe2 for the filtered twin", code)
        }
        let program = filter.program
        let parentEnds: [Int32] = [cmd[1], res[0]]
        let child = program.withUnsafeBufferPointer { filter in
            parentEnds.withUnsafeBufferPointer { ends in
                sc_fork_twin(filter.baseAddress, UInt16(filter.count), Int32(cpu), cmd[0], res[1], ends.baseAddress, 2,
                             jobTable, Int32(eligible.count))
            }
        }
        let forkErrno = errno
        close(cmd[0])
        close(res[1])
        guard child > 0 else {
            close(cmd[1]); close(res[0]); jobTable.deallocate()
            throw SysCostError.system("forking the filtered twin", forkErrno)
        }
        var ready: UInt8 = 0
        guard read(res[0], &ready, 1) == 1 else {
            var status: Int32 = 0
            close(cmd[1])
            waitpid(child, &status, 0)
            close(res[0]); jobTable.deallocate()
            throw SysCostError.usage("the \(filter) seccomp filter could not be installed in the twin (exit \((status >> 8) & 0xff)); an in-run A/B needs it")
        }
        table = jobTable
        index = Dictionary(uniqueKeysWithValues: eligible.enumerated().map { (ObjectIdentifier($0.element), Int32($0.offset)) })
        commands = cmd[1]
        results = res[0]
        pid = child
    }

    deinit {
        close(commands)  // the twin reads EOF and exits
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        close(results)
        table.deallocate()
    }

    func takes(_ job: Job) -> Bool { index[ObjectIdentifier(job)] != nil }

    /// One batch of `job` in the twin, or nil when the twin cannot time it (or went away).
    func time(_ job: Job) -> Batch? {
        guard let i = index[ObjectIdentifier(job)] else { return nil }
        var command = sc_twin_cmd(job: i, iterations: UInt64(job.iterations))
        guard write(commands, &command, MemoryLayout<sc_twin_cmd>.size) == MemoryLayout<sc_twin_cmd>.size else { return nil }
        var t = sc_batch_time()
        guard read(results, &t, MemoryLayout<sc_batch_time>.size) == MemoryLayout<sc_batch_time>.size else { return nil }
        return Batch(iterations: job.iterations, ns: t.ns, cycles: t.cycles)
    }
}
