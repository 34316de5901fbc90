import Foundation
@testable import syscost
@testable import SysCostModel
@testable import SysCostAnalysis
import Testing
import SysCostTestSupport

/// `syscost calibrate`'s schedule with a fake clock and synthetic runs: never a real wait, no
/// timing asserted; and saved runs that never overwrite each other.
@Suite struct CalibrationTests {
    /// A clock that moves only when waited on, or by a run's length.
    final class FakeClock: @unchecked Sendable {
        var now = Date(timeIntervalSince1970: 1_764_547_200)
        var starts: [Date] = []
    }

    static func schedule(runs: Int, spacing: Double, runTakes: Double, stopAt: Int? = nil) throws -> (Calibration, FakeClock, [String]) {
        let clock = FakeClock()
        var said: [String] = []
        var waits = 0
        let calibration = Calibration(
            runs: runs, spacing: spacing, now: { clock.now },
            wait: { due in
                waits += 1
                if let stopAt, waits == stopAt { return false }
                clock.now = max(clock.now, due)
                return true
            },
            measure: {
                clock.starts.append(clock.now)
                clock.now += runTakes
                return Synthetic.report([Synthetic.result("syscall/getppid/raw", Synthetic.around(100))])
            },
            save: { _ in "run\(clock.starts.count).json" },
            say: { said.append($0) })
        return (calibration, clock, said)
    }

    @Test func runsStartSpacingApartByTheClock() throws {
        let (calibration, clock, _) = try Self.schedule(runs: 4, spacing: 60, runTakes: 17)
        let (saved, stopped) = try calibration.perform()
        #expect(!stopped && saved == ["run1.json", "run2.json", "run3.json", "run4.json"])
        let offsets = clock.starts.map { $0.timeIntervalSince(clock.starts[0]) }
        #expect(offsets == [0, 60, 120, 180], "\(offsets)")
        // A run longer than the spacing: the next starts when it ends, never before.
        let (late, lateClock, _) = try Self.schedule(runs: 3, spacing: 10, runTakes: 25)
        _ = try late.perform()
        #expect(lateClock.starts.map { $0.timeIntervalSince(lateClock.starts[0]) } == [0, 25, 50])
    }

    @Test func aStopWhileWaitingKeepsTheRunsTaken() throws {
        let (calibration, clock, _) = try Self.schedule(runs: 5, spacing: 60, runTakes: 17, stopAt: 2)
        let (saved, stopped) = try calibration.perform()
        #expect(stopped && saved.count == 2 && clock.starts.count == 2)
    }

    /// Four saves of one report (one second's name) in one process, and three processes'
    /// worth at once: every run kept under a name of its own.
    @Test func savedRunsNeverReplaceEachOther() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("syscost-saves-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let report = Synthetic.report([Synthetic.result("syscall/getppid/raw", Synthetic.around(100))])
        let data = Data(try PrettyJSON.string(report).utf8)
        var paths = Set<String>()
        for _ in 0..<4 { paths.insert(try SavedRuns.save(data, for: report, under: root)) }
        final class Found: @unchecked Sendable { let lock = NSLock(); var paths: [String] = [] }
        let found = Found()
        DispatchQueue.concurrentPerform(iterations: 12) { _ in
            let path = try? SavedRuns.save(data, for: report, under: root)
            found.lock.lock(); if let path { found.paths.append(path) }; found.lock.unlock()
        }
        paths.formUnion(found.paths)
        #expect(paths.count == 16, "\(paths.sorted())")
        let folder = (SavedRuns.path(for: report, under: root) as NSString).deletingLastPathComponent
        let files = try FileManager.default.contentsOfDirectory(atPath: folder)
        #expect(files.filter { $0.hasSuffix(".json") }.count == 16 && !files.contains { $0.hasPrefix(".syscost-tmp") }, "\(files)")
        for path in paths { #expect(try ReportLoader.load(path).results.count == 1) }
    }
}
