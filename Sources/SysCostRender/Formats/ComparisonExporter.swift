import Foundation
import SysCostAnalysis
import SysCostModel

/// `syscost compare`'s output: table, markdown or json.
public enum ComparisonFormat: String, CaseIterable, Sendable {
    case table, markdown, json

    public func export(_ c: Comparison) throws -> String {
        switch self {
        case .json:
            return try PrettyJSON.string(c)
        case .table, .markdown:
            return text(c, markdown: self == .markdown)
        }
    }

    static func change(_ ratio: Double) -> String { String(format: "%+.1f%%", (ratio - 1) * 100) }
    static func p(_ p: Double) -> String { p < 0.001 ? "<0.001" : String(format: "%.3f", p) }

    private func text(_ c: Comparison, markdown: Bool) -> String {
        var out = ""
        let heading = String(format: "%@ → %@: change = new median / base median − 1; a change counts when p < %g (Mann-Whitney U), it exceeds the threshold (%g%% unless a row says otherwise), and its 95%% bootstrap interval stays further from 0 than %g× the larger CV",
                             c.base, c.new, c.alpha, c.threshold * 100, Comparison.noiseMultiple)
        out += heading + "\n\n"
        out += c.machineDifferences.isEmpty
            ? (c.baseMachine == c.newMachine ? "Machine: \(c.baseMachine) for both\n\n"
               : "Machine: one machine, recorded as \(c.baseMachine) and \(c.newMachine) (a report from before machine-ids were recorded has a key of fewer fields)\n\n")
            : "Machines differ (\(c.baseMachine) → \(c.newMachine)): " + c.machineDifferences.map { "\($0.field) \($0.base) → \($0.new)" }.joined(separator: "; ") + "\n\n"
        if let why = c.noVerdicts { out += "No verdicts: \(why)\n\n" }
        if let shift = c.hostShift {
            out += String(format: "Host canary (user-space work timed in every round): %@ in %@", Self.change(shift), c.new)
                + (abs(shift - 1) < 0.005 ? ": the host ran as fast in both\n\n"
                   : ": the host itself ran \(shift > 1 ? "slower" : "faster"); a change no larger than that gets no verdict (\"host\")\n\n")
        }
        if !c.emulated.isEmpty {
            out += "warning: \(c.emulated.joined(separator: " and ")) ran on an emulated CPU (QEMU TCG): those timings are not the hardware's\n\n"
        }
        if c.environment.isEmpty {
            out += "Environment: no difference in kernel, cmdline, mitigations, microcode, CPU, seccomp, clocksource, hypervisor, syscost version\n\n"
        } else {
            out += markdown ? "### Environment differences\n\n| | \(c.base) | \(c.new) |\n|---|---|---|\n" : "Environment differences (\(c.base) → \(c.new)); each row names those that can move it:\n"
            for d in c.environment {
                out += markdown ? "| \(d.field) | \(d.base) | \(d.new) |\n" : "  \(d.field): \(d.base)  →  \(d.new)\n"
            }
            out += "\n"
        }
        let showThreshold = c.rows.contains { abs($0.threshold - c.threshold) > 1e-12 }
        let showEnvironment = c.rows.contains { !$0.explainedBy.isEmpty }
        var header = ["benchmark", "unit", "base", "new", "change", "95% CI", "p", "CV base/new"]
        if showThreshold { header.append("threshold") }
        header.append("verdict")
        if showEnvironment { header.append("environment") }
        let rows = c.rows.map { r -> [String] in
            let ci = r.ratioCI95Low.flatMap { lo in r.ratioCI95High.map { hi in Self.change(lo) + "…" + Self.change(hi) } } ?? "-"
            var row = [r.id.description, r.unit.rawValue, Format.ns(r.baseMedian), Format.ns(r.newMedian), Self.change(r.ratio), ci,
                       Self.p(r.pValue), Format.percent(r.baseCV) + "/" + Format.percent(r.newCV)]
            if showThreshold { row.append(String(format: "±%g%%", r.threshold * 100)) }
            row.append(r.verdict?.rawValue ?? (r.withinHostShift ? "host" : "-"))
            if showEnvironment { row.append(Self.environmentCell(r.explainedBy, c.environment)) }
            return row
        }
        let table = Table(header: header, rows: rows, numericColumns: Set(2...(showThreshold ? 8 : 7)))
        out += markdown ? MarkdownRenderer.table(table, code: true) : TextRenderer.align(table) + "\n"
        out += "\n"
        let bullet = markdown ? "- " : ""
        if !c.onlyInBase.isEmpty { out += bullet + "only in \(c.base): \(Self.idList(c.onlyInBase))\n" }
        if !c.onlyInNew.isEmpty { out += bullet + "only in \(c.new): \(Self.idList(c.onlyInNew))\n" }
        for (id, why) in c.notCompared.sorted(by: { $0.key < $1.key }) { out += bullet + "not compared: \(id): \(why)\n" }
        let counts = Comparison.Verdict.allCasesInOrder.map { v in (v, c.rows.filter { $0.verdict == v }.count) }
        out += bullet + counts.map { "\($0.1) \($0.0.rawValue)" }.joined(separator: ", ")
            + (c.noVerdicts == nil ? "" : " (\(c.rows.count) without a verdict)")
            + (c.rows.contains(where: \.withinHostShift) ? ", \(c.rows.filter(\.withinHostShift).count) within the host's own shift" : "") + "\n"
        return out
    }

    /// Up to eight ids, then how many more (the JSON lists them all).
    static func idList(_ ids: [BenchmarkID]) -> String {
        let shown = ids.prefix(8).map(\.description).joined(separator: ", ")
        return ids.count > 8 ? "\(ids.count) ids: \(shown), … (--format json lists them all)" : shown
    }

    /// "seccomp, mitigations ×3": the environment differences that can move a row.
    static func environmentCell(_ fields: [String], _ differences: [EnvironmentDifference]) -> String {
        let mitigationFields = Set(differences.filter { $0.kind == .mitigation }.map(\.field))
        let mitigations = fields.filter(mitigationFields.contains).count
        var parts = fields.filter { !mitigationFields.contains($0) }
        if mitigations > 0 { parts.append(mitigations == 1 ? "a mitigation" : "mitigations ×\(mitigations)") }
        return parts.joined(separator: ", ")
    }
}

extension Comparison.Verdict {
    public static let allCasesInOrder: [Comparison.Verdict] = [.regression, .improvement, .unchanged, .noisy]
}
