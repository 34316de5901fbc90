import Foundation

/// "Privilege switch vs process switch": the mission's central comparison, from whatever
/// syscall and ctxswitch results a report holds.
enum SwitchSection {
    static let title = "Privilege switch vs process switch"

    static func lines(for report: RunReport) -> [String] {
        let byId = Dictionary(report.results.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        func median(_ id: String) -> Double? { byId[id]?.summary?.median }
        guard let process = byId["ctxswitch/pipe-process/same-cpu"], let perSwitch = process.summary?.median else { return [] }
        let floor = median("syscall/invalid/raw"), null = median("syscall/getppid/raw")
        guard floor != nil || null != nil else { return [] }
        var lines: [String] = []
        func ratio(_ x: Double, _ base: Double?, _ what: String) -> String {
            guard let base, base > 0 else { return "" }
            return String(format: " = %.1f× %@", x / base, what)
        }
        if let floor { lines.append("ENOSYS floor (kernel entry and exit): \(Format.ns(floor)) ns") }
        if let null { lines.append("null syscall (raw getppid): \(Format.ns(null)) ns") }
        var line = "process switch (pipe, same CPU): \(Format.ns(perSwitch)) ns per switch"
            + ratio(perSwitch, null, "a null syscall")
        if let net = process.netNsPerSwitch {
            line += "; net of the pipe's own syscalls \(Format.ns(net)) ns" + ratio(net, null, "a null syscall")
        }
        lines.append(line)
        if let thread = median("ctxswitch/pipe-thread/same-cpu") {
            lines.append("thread switch (pipe, same CPU, no address-space change): \(Format.ns(thread)) ns per switch"
                         + ratio(thread, null, "a null syscall"))
        }
        if let libc = median("ctxswitch/pipe_libc-process/same-cpu") {
            lines.append("process switch through glibc's read/write: \(Format.ns(libc)) ns per switch")
        }
        if let cross = median("ctxswitch/pipe-process/cross-cpu") {
            lines.append("wake-up on another CPU (pipe, processes): \(Format.ns(cross)) ns per hand-off")
        }
        if let switches = process.counters?["context-switches"] {
            lines.append(switches.status == .ok
                ? String(format: "context switches counted per round trip: %.2f", switches.perOp ?? 0)
                : "context switches not counted: \(switches.reason ?? "unavailable")")
        }
        lines += missLines(process: process, null: byId["syscall/getppid/raw"], requested: report.config.counters ?? [])
        return lines
    }

    /// Cache and TLB damage beside the times: each `*miss*` counter per null syscall and per
    /// round trip, or why there are none.
    static func missLines(process: BenchmarkResult, null: BenchmarkResult?, requested: [String]) -> [String] {
        var lines: [String] = []
        var missing: String?
        for name in requested where name.contains("miss") {
            guard let p = process.counters?[name], p.status == .ok, let perRoundTrip = p.perOp else {
                missing = missing ?? process.counters?[name]?.reason
                continue
            }
            var line = "\(name): \(CounterSection.format(perRoundTrip)) per round trip"
            if let n = null?.counters?[name], n.status == .ok, let perCall = n.perOp {
                line += ", \(CounterSection.format(perCall)) per null syscall"
                if perCall > 0 { line += String(format: " (%.0f×)", perRoundTrip / perCall) }
            }
            lines.append(line)
        }
        if lines.isEmpty, let missing { lines.append("cache and TLB misses not counted: \(missing)") }
        return lines
    }
}
