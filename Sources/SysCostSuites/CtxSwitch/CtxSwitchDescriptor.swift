import Foundation
import SysCostModel
import SysCostStatistics

/// Suite `ctxswitch`: ping-pongs between two tasks, and their transports without a switch.
public struct CtxSwitchDescriptor: SuiteDescriptor {
    public var suite: SuiteName { .ctxswitch }
    public var figureKinds: [DerivedFigure.Kind] { [.roundTrip, .transport, .switchNet] }
    public init() {}

    /// The fleet watch's: the process and thread switch on one CPU, and the pipe without a switch.
    public var watchIDs: [BenchmarkID] { [Self.pipeNoSwitch, Self.pipeProcess, Self.pipeThread] }

    public static let sameCPU = "same-cpu", crossCPU = "cross-cpu", noSwitch = "no-switch"
    public static let pipeNoSwitch = BenchmarkID(.ctxswitch, "pipe", noSwitch)
    public static let pipeProcess = BenchmarkID(.ctxswitch, "pipe-process", sameCPU)
    public static let pipeThread = BenchmarkID(.ctxswitch, "pipe-thread", sameCPU)
    public static let pipeLibcProcess = BenchmarkID(.ctxswitch, "pipe_libc-process", sameCPU)
    public static let pipeProcessCrossCPU = BenchmarkID(.ctxswitch, "pipe-process", crossCPU)

    /// Round trip and net cost per switch from the transport's no-switch baseline; a warning
    /// when a same-CPU round trip did not count two switches.
    /// A ping-pong that touches a working set between switches depends, like the indirect
    /// walks, on which cache sets its freshly allocated buffer lands in: two back-to-back full
    /// runs here moved pipe/no-switch@256K by +5.7% and pipe-process/same-cpu@256K by −7.4%,
    /// each with rounds within 1–3% in its run.
    public func variesBetweenRuns(_ id: BenchmarkID) -> String? {
        id.workingSet == nil ? nil : Suites.bufferPlacement
    }

    public func derive(_ results: inout [BenchmarkResult], in run: RunContext) {
        let byID = results.byID
        for i in results.indices where results[i].suite == suite && results[i].unit == .nsPerSwitch {
            guard let perSwitch = results[i].undisturbed else { continue }
            let baseline = results[i].related(.transport).flatMap { byID[$0] }
            let transport = baseline?.undisturbed
            // Net of the transport round by round: the pair shares the host's phase.
            let net = baseline.flatMap { b in
                PairedEstimate.over([results[i].samples, b.samples], interleaved: run.interleaved) { $0[0] - $0[1] / 2 }
            }
            let netNs: Double? = net?.value ?? transport.map { perSwitch - $0 / 2 }
            let cost = SwitchCost(roundTripNs: perSwitch * 2, transportNs: transport, netNsPerSwitch: netNs, net: net)
            results[i].figures.append(contentsOf: cost.figures)
            if results[i].id.isForm(Self.sameCPU), let perRoundTrip = results[i].counters?[.contextSwitches]?.perOp,
               perRoundTrip < 1.8 || perRoundTrip > 2.2 {
                results[i].warnings.append(Warning(.switchCount, String(format:
                    "%.2f context switches per round trip, expected 2 (a peer that spins or a yield that did not switch)",
                    perRoundTrip)))
            }
        }
    }

    public func sections(of report: RunReport) -> [ReportSection] {
        [switchSection(report), workingSetSection(report)].compactMap { $0 }
    }

    /// The process and thread switch as multiples of the null syscall, and the switches counted.
    public func headline(of report: RunReport) -> [HeadlineRow] {
        let u = report.environment.counted.word
        let byID = report.results.byID
        let null = byID[SyscallDescriptor.getppid].flatMap { $0.undisturbed == nil ? nil : $0 }
        var rows: [HeadlineRow] = []
        for (id, what) in [(Self.pipeProcess, "process switch (pipe, same CPU)"), (Self.pipeThread, "thread switch (pipe, same CPU)")] {
            guard let r = byID[id], r.undisturbed != nil else { continue }
            let times = null.flatMap { n in PairedEstimate.over([r.samples, n.samples], interleaved: report.config.interleave) { $0[0] / $0[1] } }
            rows.append(.measured(what, r, meaning: times?.ratioText("the null syscall") ?? ""))
        }
        if let switches = byID[Self.pipeProcess]?.counters?[.contextSwitches] {
            rows.append(switches.status == .ok
                ? HeadlineRow("context switches per round trip", figure: Format.count(switches.perOp ?? 0), interval: "counted",
                              meaning: "2 expected")
                : HeadlineRow("context switches per round trip", figure: "-", interval: "not counted", meaning: switches.reason ?? ""))
        }
        return rows
    }

    /// "Privilege switch vs process switch": the mission's central comparison.
    func switchSection(_ report: RunReport) -> ReportSection? {
        let byID = report.results.byID
        let u = report.environment.counted.word
        guard let process = byID[Self.pipeProcess], let perSwitch = process.undisturbed else { return nil }
        let floor = byID[SyscallDescriptor.enosys]?.undisturbed, null = byID[SyscallDescriptor.getppid]?.undisturbed
        guard floor != nil || null != nil else { return nil }
        func ratio(_ x: Double, _ what: String) -> String {
            guard let null, null > 0 else { return "" }
            return String(format: " = %.1f× %@", x / null, what)
        }
        var lines: [String] = []
        if let floor { lines.append("ENOSYS floor (kernel entry and exit): \(Format.ns(floor)) \(u)") }
        if let null { lines.append("null syscall (raw getppid): \(Format.ns(null)) \(u)") }
        var line = "process switch (pipe, same CPU): \(Format.ns(perSwitch)) \(u) per switch" + ratio(perSwitch, "a null syscall")
        if let cost = process.switchCost, let net = cost.netNsPerSwitch {
            if let paired = cost.net, paired.low != nil {
                line += "; net of the pipe's own syscalls "
                    + paired.differenceText(unit: u, negative: "none: the transport alone costs more by")
                    + (paired.excludes(0) && paired.value > 0 ? ratio(paired.value, "a null syscall") : "")
            } else if net > 0 {
                line += "; net of the pipe's own syscalls \(Format.ns(net)) \(u) (no interval: rounds not paired)" + ratio(net, "a null syscall")
            }
        }
        lines.append(line)
        if let thread = byID[Self.pipeThread]?.undisturbed {
            lines.append("thread switch (pipe, same CPU, no address-space change): \(Format.ns(thread)) \(u) per switch"
                         + ratio(thread, "a null syscall"))
        }
        if let libc = byID[Self.pipeLibcProcess]?.undisturbed {
            lines.append("process switch through glibc's read/write: \(Format.ns(libc)) \(u) per switch")
        }
        if let cross = byID[Self.pipeProcessCrossCPU]?.undisturbed {
            lines.append("wake-up on another CPU (pipe, processes): \(Format.ns(cross)) \(u) per hand-off")
        }
        if let switches = process.counters?[.contextSwitches] {
            lines.append(switches.status == .ok
                ? String(format: "context switches counted per round trip: %.2f", switches.perOp ?? 0)
                : "context switches not counted: \(switches.reason ?? "unavailable")")
        }
        lines += missLines(process: process, null: byID[SyscallDescriptor.getppid], requested: report.config.counters ?? [])
        return ReportSection(title: "Privilege switch vs process switch", lines: lines, chart: chart(byID))
    }

    /// The headline chart: calls without and with a kernel entry, then switches, on a log axis.
    func chart(_ byID: [BenchmarkID: BenchmarkResult]) -> Chart {
        var bars: [Chart.Bar] = []
        func add(_ id: BenchmarkID, _ label: String, _ kind: Chart.Kind) {
            guard let s = byID[id]?.summary else { return }
            bars.append(Chart.Bar(label: label, value: s.p10 ?? s.median, low: s.p10CI95Low, high: s.p10CI95High, kind: kind))
        }
        add(VDSODescriptor.monotonic, "clock_gettime via the vDSO", .noKernelEntry)
        add(SyscallDescriptor.enosys, "ENOSYS floor (entry + exit)", .privilegeSwitch)
        add(SyscallDescriptor.getppid, "null syscall (raw getppid)", .privilegeSwitch)
        add(SyscallDescriptor.getppidLibc, "getppid through glibc", .privilegeSwitch)
        add(Self.pipeThread, "thread switch (pipe, same CPU)", .processSwitch)
        if let net = byID[Self.pipeProcess]?.switchCost?.netNsPerSwitch {
            bars.append(Chart.Bar(label: "process switch, net of the pipe", value: net, kind: .processSwitch))
        }
        add(Self.pipeProcess, "process switch (pipe, same CPU)", .processSwitch)
        add(Self.pipeProcessCrossCPU, "wake-up on another CPU (pipe)", .processSwitch)
        return Chart(bars: bars, per: "call or switch", logarithmic: true)
    }

    /// Cache and TLB damage beside the times: each miss counter per null syscall and per
    /// round trip, or why there are none.
    func missLines(process: BenchmarkResult, null: BenchmarkResult?, requested: [CounterName]) -> [String] {
        var lines: [String] = []
        var missing: String?
        for name in requested where name.isMiss {
            guard let p = process.counters?[name], p.status == .ok, let perRoundTrip = p.perOp else {
                missing = missing ?? process.counters?[name]?.reason
                continue
            }
            var line = "\(name): \(Format.count(perRoundTrip)) per round trip"
            if let n = null?.counters?[name], n.status == .ok, let perCall = n.perOp {
                line += ", \(Format.count(perCall)) per null syscall"
                if perCall > 0 { line += String(format: " (%.0f×)", perRoundTrip / perCall) }
            }
            lines.append(line)
        }
        if lines.isEmpty, let missing { lines.append("cache and TLB misses not counted: \(missing)") }
        return lines
    }

    /// What a switch costs when each side touches its own working set between switches.
    func workingSetSection(_ report: RunReport) -> ReportSection? {
        let byID = report.results.byID
        let u = report.environment.counted.word
        let sizes = report.results.compactMap { r -> Int? in
            BenchmarkID(r.id.suite, r.id.name, r.id.variant) == Self.pipeProcess ? r.id.workingSet : nil
        }
        guard !sizes.isEmpty else { return nil }
        let rows = ([0] + sizes).map { size -> [String] in
            func at(_ id: BenchmarkID) -> BenchmarkResult? { byID[BenchmarkID(id.suite, id.name, id.variant, workingSet: size)] }
            let process = at(Self.pipeProcess), thread = at(Self.pipeThread)
            let p = process?.switchCost?.netNsPerSwitch, t = thread?.switchCost?.netNsPerSwitch
            // What the thread saves, round by round (the transport's cost cancels: both
            // subtract the same baseline).
            var saves = "-"
            if let process, let thread {
                saves = PairedEstimate.over([process.samples, thread.samples], interleaved: report.config.interleave) { $0[0] - $0[1] }?
                    .differenceText(unit: u, negative: "none: the thread costs more by") ?? "no interval (rounds not paired)"
            }
            return [size == 0 ? "0" : "\(ByteSize.label(size))B", Format.ns(p), Format.ns(t), saves]
        }
        return ReportSection(
            title: "Switch cost by working set (pipe, same CPU): \(u) per switch, net of the transport and of the touching",
            table: Table(header: ["working set", "process", "thread", "thread saves"], rows: rows))
    }
}

extension SuiteName {
    public static let ctxswitch = SuiteName("ctxswitch")
}
