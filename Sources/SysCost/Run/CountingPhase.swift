import CSysCost
import Foundation
import SysCostModel
import SysCostStatistics

/// Counts a job's events in batches of their own, after the timed ones: an open per-task
/// event slows what it watches (here every switch of a watched task, +25%), so no timed
/// batch carries one. These batches are timed too, and the difference from the timed median
/// is reported as the counting overhead.
struct CountingPhase {
    let plan: RunPlan
    let access: PerfAccess
    let host: HostSystem
    var stop: StopSource = .signals

    func count(_ job: Job) {
        guard let fixture = job.fixture else { return }
        var events = plan.counters
        if fixture.peerTasks != nil, !events.contains(where: { $0.name == .contextSwitches }) {
            events.append(.contextSwitches)
        }
        guard !events.isEmpty else { return }
        func allUnavailable(_ reason: String) -> [CounterName: CounterValue] {
            Dictionary(events.map { ($0.name, CounterValue.unavailable(reason)) }, uniquingKeysWith: { a, _ in a })
        }
        var tasks: [pid_t] = [0]
        switch fixture.peerTasks?() {
        case .success(let peers): tasks += peers
        case .failure(let failure): job.counters = allUnavailable(failure.description); return
        case nil: break
        }
        let set = CounterSet(events: events, tasks: tasks, access: access, host: host,
                             describe: { $0 == 0 ? "the measuring thread" : "the peer (task \($0))" })
        var times: [Double] = []
        while set.isCounting && times.count < plan.countingBatches && !stop.requested() {
            job.benchmark.beforeBatch?(fixture)
            set.begin()
            let batch = Batch.time(job.benchmark.loop, fixture.ctx, iterations: job.iterations)
            set.end()
            job.benchmark.afterBatch?(fixture)
            do { try job.checkAfterBatch(stop: stop) } catch {
                job.counters = allUnavailable("the counting batch failed: \(error)")
                return
            }
            times.append(batch.nsPerOp)
        }
        job.counters = set.values(ops: job.iterations * times.count)
        job.countingNsPerOp = times.isEmpty ? nil : Statistics.median(times)
    }
}
