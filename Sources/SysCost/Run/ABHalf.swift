import CSysCost
import Foundation
import SysCostModel

/// The "with" half of an in-run A/B: times a job's batch with the knob on, right beside the
/// runner's plain batch of the same round (which goes first is a coin toss per round).
protocol ABHalf: AnyObject {
    /// Whether this half can time `job`.
    func takes(_ job: Job) -> Bool
    /// One batch of `job` with the knob on, or nil when it could not be taken.
    func time(_ job: Job) -> Batch?
    /// What to say on a result left without a pair, when the knob could not be switched.
    var unpairedWarning: Warning? { get }
}

extension Twin: ABHalf {
    /// None: a result the twin did not time simply has no `knobCost` figure.
    var unpairedWarning: Warning? { nil }
}

/// A speculation control switched off for one batch of the measuring thread and on again
/// after it, both outside the timed region. Every benchmark takes part, ping-pongs too: the
/// control is the measuring thread's, and the kernel acts on a switch into or out of it.
final class SpeculationToggle: ABHalf {
    let knob: SpeculationKnob
    let control: SpeculationControl
    /// The control's state before the run (true: disabled), restored when done.
    private let wasDisabled: Bool
    /// Why a batch could not be taken with the control off (the first failure), if one was not.
    private(set) var failure: String?

    init(_ knob: SpeculationKnob, control: SpeculationControl = .live, host: HostSystem = .live) throws {
        self.knob = knob
        self.control = control
        wasDisabled = try control.availability(knob, host: host).get()
        // The plain half runs with speculation enabled: that is "without".
        let e = control.set(knob, false)
        if e != 0 { throw SysCostError.system("enabling \(knob.rawValue) speculation for the plain half", e) }
    }

    deinit { _ = control.set(knob, wasDisabled) }

    func takes(_ job: Job) -> Bool { job.fixture != nil && job.twin == nil }

    var unpairedWarning: Warning? {
        failure.map { Warning(.other, "no batch with \(knob.rawValue) speculation disabled: \($0)") }
    }

    func time(_ job: Job) -> Batch? {
        guard let fixture = job.fixture else { return nil }
        let e = control.set(knob, true)
        guard e == 0 else {
            failure = failure ?? "disabling \(knob.rawValue) speculation: \(String(cString: strerror(e)))"
            return nil
        }
        let batch = try? job.timeUnpreemptedBatch(fixture)
        _ = control.set(knob, false)
        return (try? job.checkAfterBatch()) == nil ? nil : batch
    }
}
