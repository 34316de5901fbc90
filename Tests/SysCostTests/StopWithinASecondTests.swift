import Foundation
@testable import SysCostModel
@testable import SysCostAnalysis
@testable import SysCostRender
@testable import SysCost
import Testing
import SysCostTestSupport

/// Every long phase answers SIGINT and SIGTERM within about a second: the warm-up (here
/// asked for 600 s), single-call timing (10 M calls of openat+close, more than 10 s), and
/// rounds of the longest batches allowed (500 ms). Each run says it reached the phase, is
/// sent the signal, and must end well before the phase would (3 s, on a loaded machine),
/// with the interrupted run's exit status and a whole report that says it was interrupted.
@Suite(.serialized) struct StopWithinASecondTests {
    @Test(arguments: [
        (["syscall/getppid/raw", "--quick", "--warmup", "600000"], "warming up the CPU", SIGTERM),
        (["syscall/openat-close/raw", "--quick", "--warmup", "0", "--distribution", "10000000"], "timing single calls", SIGINT),
        (["syscall/getppid/raw", "--warmup", "0", "--min-batch-time", "500", "--rounds", "1000"], "round 1/1000 done", SIGTERM),
    ])
    func aLongPhaseStopsAtOnce(_ arguments: [String], _ phase: String, _ signal: Int32) throws {
        let path = CLI.reportPath("stop")
        defer { unlink(path) }
        let started = try CLI.start(["run"] + arguments + ["--output", path])
        let said = try CLI.waitFor(phase, in: started)
        let sent = Date()
        kill(started.0.processIdentifier, signal)
        let r = CLI.finish(started, stderrSoFar: said)
        let took = Date().timeIntervalSince(sent)
        #expect(took < 3, "\(arguments): \(took) s after the signal")
        #expect(r.status == 128 + signal, "\(r.status) \(r.stderr)")
        #expect(try ReportLoader.load(path).interrupted, "\(r.stderr)")
    }
}
