import Foundation
import SysCostModel

/// `syscost calibrate`'s schedule: N runs whose starts are `spacing` seconds apart, so that
/// they sample several of a shared host's phases (seconds to minutes long) rather than one.
/// The clock, the wait and the measurement are given, so a test runs the schedule with a fake
/// clock and synthetic runs, and never waits.
struct Calibration {
    var runs: Int
    var spacing: Double
    var now: () -> Date
    /// Waits until the date, or returns false when a stop (SIGINT, SIGTERM) came first.
    var wait: (Date) -> Bool
    var measure: () throws -> RunReport
    /// Files one run; its path.
    var save: (RunReport) throws -> String
    var say: (String) -> Void

    /// The runs filed, in order; stops early (with those taken) when a wait or a run was stopped.
    func perform() throws -> (saved: [String], stopped: Bool) {
        var saved: [String] = []
        let start = now()
        for i in 0..<runs {
            let due = start.addingTimeInterval(Double(i) * spacing)
            if due > now() {
                say("calibrate: run \(i + 1) of \(runs) at +\(Int(Double(i) * spacing)) s (waiting \(Int(due.timeIntervalSince(now()).rounded(.up))) s)")
                guard wait(due) else { return (saved, true) }
            } else {
                say("calibrate: run \(i + 1) of \(runs)")
            }
            let report = try measure()
            if report.interrupted { return (saved, true) }
            saved.append(try save(report))
        }
        return (saved, false)
    }
}
