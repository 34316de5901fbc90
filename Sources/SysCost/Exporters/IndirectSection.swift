import Foundation

/// The indirect-cost table: working sets down, syscalls across, ns each syscall cost the
/// walk beyond its direct cost.
enum IndirectSection {
    static let title = "Indirect cost of a syscall: ns it adds to a pointer chase beyond its own cost, by working set"

    /// Rows of [working set, baseline, one column per call]; empty when the suite did not run.
    static func rows(for report: RunReport) -> (header: [String], rows: [[String]])? {
        let results = report.results.filter { $0.suite == IndirectSuite.suite }
        guard !results.isEmpty else { return nil }
        let variants = IndirectSuite.calls.map(\.variant)
        let header = ["working set", "walk ns/\(IndirectSuite.steps) loads"] + variants.map { "+\($0) ns" }
        var rows: [[String]] = []
        for w in IndirectSuite.workingSets {
            let name = "walk-\(IndirectSuite.label(w))"
            guard let base = results.first(where: { $0.id == "\(IndirectSuite.suite)/\(name)/none" }) else { continue }
            let cells = variants.map { v -> String in
                guard let r = results.first(where: { $0.id == "\(IndirectSuite.suite)/\(name)/\(v)" }),
                      let extra = r.indirect?.extraNs else { return "-" }
                return Format.ns(extra) + (r.warnings.contains { $0.hasPrefix("within-noise") } ? " (noise)" : "")
            }
            rows.append(["\(IndirectSuite.label(w))B", Format.ns(base.summary?.median)] + cells)
        }
        return (header, rows)
    }
}
