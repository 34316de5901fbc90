import ArgumentParser
import Foundation
import SysCost
import SysCostModel
import SysCostRender

struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Say what makes this machine noisy for measuring, and what to do about it.",
        discussion: """
            Samples every allowed CPU while syscost sleeps (busy time, steal, interrupts, other \
            runnable tasks, SMT siblings, isolation, governor), then times a user-space canary (a \
            dependent multiply chain) in 1 ms slices on the quietest CPU (or --cpu): its CV says how \
            steadily the core ran, its rate the effective clock. Ends with one verdict — quiet, noisy \
            or unusable — and the fixes that apply. `run` makes the same sample and measures on the \
            quietest CPU unless --cpu says otherwise.
            """)

    @Option(help: "The CPU to judge and run the canary on (default: the quietest allowed one).")
    var cpu: Int?

    @Option(help: "How long to sample the CPUs, in ms (\(FlagRanges.sample.text); default 500).")
    var sample: Double = 500

    @Option(help: "How long the canary runs, in seconds (\(FlagRanges.canary.text); default 1).")
    var canary: Double = 1

    @OptionGroup var output: FormatOptions

    func validate() throws {
        try MeasureOptions.validate(cpu: cpu)
        try FlagRanges.sample.check(sample)
        try FlagRanges.canary.check(canary)
    }

    func run() throws {
        let format = try output.resolve([.table, .json], default: .table)
        let allowed = CPUSet.allowed()
        if let cpu { _ = try Runner.chooseCPU(cpu) }
        var state = HostProbe.sample(cpus: allowed, milliseconds: sample)
        guard let judged = cpu ?? state.quietest(among: allowed) else { throw SysCostError.system("sched_getaffinity", errno) }
        state.canary = try HostProbe.canary(on: judged, seconds: canary)
        if format == .json {
            try say(try PrettyJSON.string(state), terminator: "")
            return
        }
        let rows = state.cpus.map { l -> [String] in
            ["\(l.cpu)" + (l.cpu == judged ? " *" : ""), Format.percent(l.busy), Format.percent(l.steal), Format.percent(l.irq),
             l.runnable.isEmpty ? "-" : l.runnable.prefix(3).joined(separator: ","),
             l.siblings.isEmpty ? "-" : CPUSet.describe(l.siblings), l.governor ?? "-",
             l.isolated || l.nohzFull ? "yes" : "no", state.verdict(for: l.cpu).rawValue]
        }
        try say(String(format: "CPUs over %.0f ms (syscost asleep); * the one judged:", state.sampledMs))
        try say(TextRenderer.align(Table(header: ["cpu", "busy", "steal", "irq", "runnable", "SMT sibling", "governor", "isolated", "verdict"],
                                       rows: rows, numericColumns: [1, 2, 3])))
        if let c = state.canary {
            try say(String(format: "canary on CPU %d: %d slices of %.0f ms, CV %.2f%%, %.2f GHz effective (%.2f–%.2f)",
                         c.cpu, c.slices, c.sliceMs, c.cv * 100, c.ghz, c.minGHz, c.maxGHz))
        }
        try say("hypervisor \(state.hypervisor), boost \(state.boost ?? "n/a"), perf_event_max_sample_rate \(state.perfSampleRate.map(String.init) ?? "n/a")")
        // What `run --speculation` can measure here.
        for knob in SpeculationKnob.allCases {
            switch SpeculationControl.live.availability(knob) {
            case .success(let disabled): try say("--speculation \(knob.rawValue): available (now \(disabled ? "disabled" : "enabled") for this task)")
            case .failure(let why): try say("\(why)".replacingOccurrences(of: " is unavailable here: ", with: ": unavailable: "))
            }
        }
        let verdict = state.verdict(for: judged)
        try say("\nverdict: \(verdict.rawValue) (CPU \(judged))")
        for finding in state.findings(for: judged, allowed: allowed) { try say("  - \(finding)") }
    }
}
