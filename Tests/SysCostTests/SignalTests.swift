import CSysCost
import Foundation
@testable import SysCost
@testable import SysCostModel
@testable import SysCostSuites
import Testing
import SysCostTestSupport

/// The signal suite: its checks see the kernel's work, and fail when there is none.
@Suite struct SignalTests {
    /// Every op of a batch is a signal caught: the handler's count grows by the batch's length.
    @Test func everySignalOfABatchIsCaught() throws {
        let fixture = try SignalSuite.catchFixture()
        let before = sc_signal_caught_here()
        var t = sc_batch_time()
        sc_time_batch(sc_loop_signal_catch_raw, fixture.ctx, 1000, &t)
        #expect(sc_signal_caught_here() - before == 1000)
        #expect(fixture.ctx.pointee.error == 0)
    }

    /// Each check fails when its operation is replaced by one that does nothing.
    @Test func aNoOpFailsEachCheck() throws {
        let noOp: @Sendable (UnsafeMutablePointer<sc_ctx>) -> Int = { _ in 0 }
        let caught = try SignalSuite.catchFixture(), masked = try SignalSuite.maskFixture()
        try SignalSuite.catchCheck(sc_op_signal_catch_raw)(caught)
        try SignalSuite.maskCheck(sc_op_sigprocmask_roundtrip_raw)(masked)
        #expect(throws: CheckFailure.self) { try SignalSuite.catchCheck(noOp)(caught) }
        #expect(throws: CheckFailure.self) { try SignalSuite.maskCheck(noOp)(masked) }
    }

    /// The suite's section says what a caught signal costs, beside the null syscall.
    @Test func theSectionNamesBothFigures() throws {
        let report = try Runner(plan: RunPlan(repetitions: 6, minBatchTimeMs: 1, warmupMs: 10))
            .run(try Catalog.select(["signal", "syscall/getppid/raw"]))
        let text = try report.export(as: .table)
        #expect(text.contains("Signals") && text.contains("a signal sent to this thread and caught") && text.contains("× the null syscall"), "\(text)")
        #expect(report.results.filter { $0.suite == .signal }.allSatisfy { $0.status == .ok })
    }
}
