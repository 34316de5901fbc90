import CSysCost
import Foundation
@testable import SysCost
@testable import SysCostStatistics
@testable import SysCostModel
@testable import SysCostAnalysis
@testable import SysCostRender
import Testing
import SysCostTestSupport

@Suite(.serialized) struct CtxSwitchTests {
    /// Every same-CPU round trip really is two context switches (the software counter of both tasks).
    @Test(arguments: ["ctxswitch/pipe-process/same-cpu", "ctxswitch/pipe-thread/same-cpu", "ctxswitch/futex-process/same-cpu"])
    func sameCPURoundTripIsTwoSwitches(id: BenchmarkID) throws {
        let options = RunPlan(repetitions: 3, minBatchTimeMs: 2, warmupMs: 0)
        let report = try Runner(plan: options).run(try Catalog.select([id.description]))
        let result = try #require(report.results.first { $0.id == id })
        #expect(result.status == .ok, "\(result.error ?? "")")
        #expect(result.unit == .nsPerSwitch)
        let counter = try #require(result.counters?["context-switches"])
        #expect(counter.status == .ok, "\(counter.reason ?? "")")
        let perRoundTrip = try #require(counter.perOp)
        #expect(perRoundTrip >= 1.8 && perRoundTrip <= 2.2, "\(perRoundTrip) switches per round trip")
        #expect(result.switchCost.map { abs($0.roundTripNs - 2 * result.undisturbed!) < 1e-9 } == true)
        #expect(result.switchCost?.netNsPerSwitch != nil)
    }

    @Test func workingSetSizesParse() throws {
        #expect(try CatalogSetup.parseSizes("0,4K,64k,1M") == [0, 4096, 65536, 1 << 20])
        #expect(throws: SysCostError.self) { try CatalogSetup.parseSizes("4Q") }
    }

    /// The children of `pid` that are ping-pong peers (they name themselves syscost-peer).
    static func peers(of pid: pid_t) -> [pid_t] {
        let text = (try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8)) ?? ""
        return text.split(separator: " ").compactMap { pid_t($0) }.filter { child in
            ((try? String(contentsOfFile: "/proc/\(child)/comm", encoding: .utf8)) ?? "").hasPrefix("syscost-peer")
        }
    }


    static func exists(_ pid: pid_t) -> Bool { kill(pid, 0) == 0 || errno == EPERM }

    static func start(_ id: String, output: String) throws -> Tool.Started {
        try CLI.start(["run", id, "--repetitions", "100000", "--min-batch-time", "5", "--warmup", "0", "--output", output])
    }

    /// Starts a long run of `id`, sends `signal` to its peer once it runs, waits for the end.
    static func runWithPeerSignal(_ id: String, _ signal: Int32, report path: String) throws -> (CLI.Outcome, pid_t, TimeInterval) {
        let started = try start(id, output: path)
        // Its peers are up once it measures; one round done, it is mid-run.
        let said = try CLI.waitFor("round 1/", in: started)
        let peer = try #require(peers(of: started.0.processIdentifier).first, "no peer process: \(said)")
        kill(peer, signal)
        let t0 = Date()
        let outcome = CLI.finish(started, stderrSoFar: said)
        return (outcome, peer, Date().timeIntervalSince(t0))
    }

    /// A peer killed mid-run: a clear error naming the signal, exit 1, the peer reaped.
    @Test func killedPeerIsReportedAndReaped() throws {
        let path = CLI.reportPath("kill")
        defer { unlink(path) }
        let (r, peer, seconds) = try Self.runWithPeerSignal("ctxswitch/pipe-process/same-cpu", SIGKILL, report: path)
        #expect(seconds < Double(PingPong.batchTimeoutNs) / 1e9 + 3)
        #expect(r.status == 1, "stderr: \(r.stderr)")
        #expect(r.stdout.contains("killed by signal 9"), "stdout: \(r.stdout)")
        #expect(!Self.exists(peer), "the killed peer \(peer) was not reaped")
        let report = try RunReport.decode(try Data(contentsOf: URL(fileURLWithPath: path)))
        let result = try #require(report.results.first { $0.id == "ctxswitch/pipe-process/same-cpu" })
        #expect(result.status == .failed)
        #expect(result.error?.contains("signal 9") == true)
    }

    /// A peer that stops answering (SIGSTOP): the batch timeout ends the wait, the peer is killed.
    @Test func stuckPeerHitsTheBatchTimeout() throws {
        let path = CLI.reportPath("stop")
        defer { unlink(path) }
        let (r, peer, _) = try Self.runWithPeerSignal("ctxswitch/eventfd-process/same-cpu", SIGSTOP, report: path)
        #expect(r.status == 1, "stderr: \(r.stderr)")
        #expect(r.stdout.contains("batch timeout"), "stdout: \(r.stdout)")
        #expect(!Self.exists(peer), "the stuck peer \(peer) is still there")
    }

    /// SIGINT mid-run: a valid partial report, and the peers stopped and reaped before exit.
    @Test func interruptedPingPongWritesPartialReportAndLeavesNoPeer() throws {
        let path = CLI.reportPath("ctxint")
        defer { unlink(path) }
        let started = try Self.start("ctxswitch/*-*/same-cpu", output: path)
        let pid = started.0.processIdentifier
        let said = try CLI.waitFor("round 1/", in: started)
        let peers = Self.peers(of: pid)
        #expect(!peers.isEmpty, "no peer process: \(said)")
        kill(pid, SIGINT)
        let r = CLI.finish(started, stderrSoFar: said)
        #expect(r.status == 130, "stderr: \(r.stderr)")
        let report = try RunReport.decode(try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(report.interrupted)
        #expect(report.results.contains { !$0.samples.isEmpty })
        #expect(!report.results.contains { $0.status == .failed }, "\(report.results.compactMap(\.error))")
        for peer in peers { #expect(!Self.exists(peer), "peer \(peer) outlived syscost") }
    }
}
