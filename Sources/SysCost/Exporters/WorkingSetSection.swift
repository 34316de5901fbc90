import Foundation

/// The cache-footprint sweep: what a switch costs when each side touches its own working set
/// between switches, with the touching itself (measured without switching) taken out.
enum WorkingSetSection {
    static let title = "Switch cost by working set (pipe, same CPU): ns per switch, net of the transport and of the touching"

    static func rows(for report: RunReport) -> (header: [String], rows: [[String]])? {
        let byId = Dictionary(report.results.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let sizes = report.results.compactMap { r -> String? in
            guard r.id.hasPrefix("ctxswitch/pipe-process/same-cpu@") else { return nil }
            return String(r.id.split(separator: "@")[1])
        }
        guard !sizes.isEmpty else { return nil }
        let header = ["working set", "process", "thread", "thread saves"]
        let rows = ([""] + sizes).map { size -> [String] in
            let suffix = size.isEmpty ? "" : "@\(size)"
            let p = byId["ctxswitch/pipe-process/same-cpu\(suffix)"]?.netNsPerSwitch
            let t = byId["ctxswitch/pipe-thread/same-cpu\(suffix)"]?.netNsPerSwitch
            let saves = p.flatMap { p in t.map { Format.ns(p - $0) } } ?? "-"
            return [size.isEmpty ? "0" : "\(size)B", Format.ns(p), Format.ns(t), saves]
        }
        return (header, rows)
    }
}
