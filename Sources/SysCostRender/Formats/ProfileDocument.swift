import Foundation
import SysCostModel
import SysCostSuites

/// A profile as sections every renderer shows: the calls in the style of `strace -c` (dearest
/// first), what kernel entries and switches cost the program, and its counters.
public struct ProfileDocument: Sendable {
    public var title: String
    public var sections: [ReportSection]

    public init(_ p: ProfileReport) {
        let command = p.command.map { $0.contains(" ") ? "'\($0)'" : $0 }.joined(separator: " ")
        let ended = p.exit.signal.map { "killed by signal \($0)" } ?? "exit \(p.exit.status ?? 0)"
        title = String(format: "syscost profile: %@ (%@%@, %.3f s wall, %.3f s user, %.3f s system)", command, ended,
                       p.interrupted ? ", interrupted" : "", p.wallSeconds, p.userSeconds, p.systemSeconds)
        sections = [Self.calls(p), Self.summary(p), Self.counters(p)].compactMap { $0 }
    }

    static func ms(_ ns: Double) -> String { Format.ns(ns / 1e6) }
    static func share(_ ns: Double, of wall: Double) -> String { wall > 0 ? Format.percent(ns / 1e9 / wall) : "-" }

    static func basis(_ price: SyscallPrice?) -> String {
        switch price?.basis {
        case .catalog(let id)?: return id.description
        case .entryOnly?: return "entry only (body not measured)"
        case nil: return "-"
        }
    }

    static func calls(_ p: ProfileReport) -> ReportSection? {
        if let why = p.syscallsUnavailable {
            return ReportSection(title: "System calls", lines: ["not counted: \(why)"])
        }
        let rows = p.rows.map { r -> [String] in
            [r.name, "\(r.calls)", Format.ns(r.price?.ns), r.totalNs.map(ms) ?? "-", r.totalNs.map { share($0, of: p.wallSeconds) } ?? "-",
             basis(r.price)]
        }
        let total = p.rows.compactMap(\.totalNs).reduce(0, +)
        let footer = ["total", "\(p.totalCalls)", "", ms(total), share(total, of: p.wallSeconds), ""]
        var notes: [String] = []
        if let mounted = p.tracefsMounted { notes.append(mounted) }
        notes.append("counted by the kernel's syscall tracepoints over the command and every child and thread it made, from its exec")
        return ReportSection(
            title: "System calls, dearest first (estimated from this machine's prices)",
            table: Table(header: ["syscall", "calls", "ns/call", "est. ms", "of wall", "priced by"], rows: rows + [footer],
                         numericColumns: [1, 2, 3, 4]),
            notes: notes)
    }

    static func summary(_ p: ProfileReport) -> ReportSection? {
        guard let prices = p.prices else {
            return ReportSection(title: "What kernel entries and switches cost this program", lines: ["no prices: \(p.pricesUnavailable ?? "none")"])
        }
        var lines: [String] = []
        let wall = p.wallSeconds
        let calls = Double(p.totalCalls)
        if p.syscallsUnavailable == nil {
            let entry = calls * prices.floorNs
            lines.append("privilege switches: \(p.totalCalls) calls × \(Format.ns(prices.floorNs)) ns (the ENOSYS floor: entry and exit alone) = \(ms(entry)) ms, \(share(entry, of: wall)) of wall time")
            let estimated = p.rows.compactMap(\.totalNs).reduce(0, +)
            lines.append("system calls, estimated: \(ms(estimated)) ms (calls × this machine's price for each), against \(Format.ns(p.systemSeconds * 1e3)) ms of system time measured")
        }
        let switches = p.processSwitches
        let source = p.counters[.contextSwitches]?.perOp != nil ? "the kernel's context-switch counter" : "wait4's voluntary + involuntary"
        if let switchNs = prices.switchNs {
            let cost = switches * switchNs
            lines.append("process switches: \(String(format: "%.0f", switches)) (\(source)) × \(Format.ns(switchNs)) ns (a same-CPU process switch, net of the pipe's own calls) = \(ms(cost)) ms, \(share(cost, of: wall)) of wall time")
        } else {
            lines.append("process switches: \(String(format: "%.0f", switches)) (\(source)); no price for a switch in \(prices.source)")
        }
        lines.append(String(format: "wall time %.3f s; user %.3f s, system %.3f s", wall, p.userSeconds, p.systemSeconds))
        if let o = p.countingOverhead, p.syscallsUnavailable == nil {
            let added = o.value * calls
            lines.append("counting: each call ran \(o.differenceText(negative: "faster by")) slower while counted (getppid, with against without a tracepoint counter, just before): about \(ms(max(added, 0))) ms of this run's time was the count's, \(share(max(added, 0), of: wall)) of wall; the estimates above are of the calls uncounted")
        } else if let why = p.countingOverheadUnavailable, p.syscallsUnavailable == nil {
            lines.append("counting overhead not measured: \(why)")
        }
        for r in p.rows {
            guard let price = r.price, let vdsoNs = price.vdsoNs, let vdso = price.vdso, price.ns > vdsoNs else { continue }
            let saved = Double(r.calls) * (price.ns - vdsoNs)
            lines.append("\(r.name) was made \(r.calls) times as a syscall although it has a vDSO path (\(vdso): \(Format.ns(vdsoNs)) ns): the vDSO would have saved \(ms(saved)) ms (a clocksource without a vDSO read, or a static binary?)")
        }
        return ReportSection(title: "What kernel entries and switches cost this program", lines: lines,
                             notes: ["prices: \(prices.source): undisturbed costs of this machine and kernel"])
    }

    static func counters(_ p: ProfileReport) -> ReportSection? {
        var rows: [[String]] = []
        for (name, value) in p.counters.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            if let v = value.perOp {
                rows.append([name == .taskClock ? Format.ns(v / 1e6) + " ms" : String(format: "%.0f", v), name.rawValue,
                             value.scaling.map { $0 > 1.01 ? String(format: "scaled ×%.2f", $0) : "" } ?? ""])
            } else {
                rows.append(["-", name.rawValue, "unavailable: " + (value.reason ?? "")])
            }
        }
        let r = p.rusage
        rows.append(["\(r.voluntarySwitches) + \(r.involuntarySwitches)", "voluntary + involuntary switches (wait4)", ""])
        rows.append(["\(r.minorFaults) + \(r.majorFaults)", "minor + major faults (wait4)", ""])
        return ReportSection(title: "Counters over the whole command", table: Table(header: ["count", "event", ""], rows: rows, numericColumns: [0]))
    }
}

/// A profile in any format (HTML: the same sections on one self-contained page).
extension ProfileReport: Exportable {
    public static let formats: [OutputFormat] = [.table, .markdown, .csv, .json, .html]

    public func export(as format: OutputFormat, _ options: ExportOptions) throws -> String {
        let p = self
        let doc = ProfileDocument(p)
        switch format {
        case .table: return Escape.terminal(doc.title + "\n\n" + doc.sections.map(TextRenderer.render).joined(separator: "\n"), keepingNewlines: true)
        case .markdown:
            return Escape.terminal("# " + MarkdownRenderer.cell(doc.title) + "\n\n" + doc.sections.map(MarkdownRenderer.render).joined(separator: "\n"), keepingNewlines: true)
        case .json: return try PrettyJSON.string(p)
        case .openmetrics, .bmf, .githubActionBenchmark, .googleBenchmark: throw UnsupportedFormat(format: format, document: "a profile")
        case .csv: return ProfileText.csv(p)
        case .html:
            return HTMLReport.document(title: doc.title, body: "<h1>\(HTMLReport.esc(doc.title))</h1>" + doc.sections.map { HTMLReport.section($0) }.joined())
        }
    }

}

enum ProfileText {
    /// One row per call name: name, calls, ns per call, estimated ns, what priced it.
    static func csv(_ p: ProfileReport) -> String {
        var lines = [["syscall", "calls", "ns_per_call", "est_total_ns", "priced_by"].joined(separator: ",")]
        for r in p.rows {
            let fields = [r.name, "\(r.calls)", r.price.map { String(format: "%.4f", $0.ns) } ?? "",
                          r.totalNs.map { String(format: "%.1f", $0) } ?? "", ProfileDocument.basis(r.price)]
            lines.append(fields.map(CSVRenderer.quote).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
