import Foundation
import SysCostAnalysis
import SysCostModel
import SysCostStatistics

/// `syscost compare`'s and `baseline check`'s output: table, markdown, json or openmetrics.
extension Comparison: Exportable {
    public static let formats: [OutputFormat] = [.table, .markdown, .json, .openmetrics]

    public func export(as format: OutputFormat, _ options: ExportOptions) throws -> String {
        switch format {
        case .json: return try PrettyJSON.string(self)
        case .table, .markdown: return Escape.terminal(ComparisonText.text(self, markdown: format == .markdown), keepingNewlines: true)
        case .openmetrics: return PrometheusRenderer.render(self, regressions: rows.contains { $0.verdict == .regression })
        case .csv, .html, .bmf, .githubActionBenchmark, .googleBenchmark: throw UnsupportedFormat(format: format, document: "a comparison")
        }
    }
}

/// A comparison as text or Markdown.
enum ComparisonText {

    static func change(_ ratio: Double) -> String { String(format: "%+.1f%%", (ratio - 1) * 100) }

    /// "unchanged (±2.1%)", "inconclusive (MDE 14%)", "regression".
    static func verdict(_ r: Comparison.Row) -> String {
        guard let v = r.verdict else { return "-" }
        switch v {
        case .unchanged: return "unchanged (±" + Format.percent(r.mde ?? 0) + ")"
        case .inconclusive:
            if r.variesBetweenRuns != nil { return "inconclusive (varies by run)" }
            guard let mde = r.mde else { return "inconclusive (between-run spread unknown)" }
            let plan = r.runsASideNeeded.map { n in
                n > Comparison.maxRunsASide ? "; over \(Comparison.maxRunsASide) runs a side" : "; \(n) run\(n == 1 ? "" : "s") a side"
            } ?? ""
            return "inconclusive (MDE " + Format.percent(mde) + plan + ")"
        case .regression, .improvement: return v.rawValue
        }
    }

    /// The two sides as the heading names them.
    static func side(_ name: String, runs: Int) -> String { runs == 1 ? name : "\(name) (\(runs) runs)" }

    /// The whole comparison: what was judged and how, the machines, what keeps it from
    /// passing, the host's shift, the environments, the rows, then what was left out.
    static func text(_ c: Comparison, markdown: Bool) -> String {
        let t = safe(markdown)
        return heading(c, t) + circumstances(c, markdown: markdown, t) + environment(c, markdown: markdown, t)
            + rowsTable(c, markdown: markdown) + "\n" + footer(c, markdown: markdown, t)
    }

    /// What came from a report or a user, made safe for the format.
    static func safe(_ markdown: Bool) -> (String) -> String { { markdown ? MarkdownRenderer.cell($0) : $0 } }

    static func level(_ c: Comparison) -> String { String(format: "%g%%", (1 - c.alpha) * 100) }

    static func heading(_ c: Comparison, _ t: (String) -> String) -> String {
        let sides: String = t(Self.side(c.base, runs: c.baseRuns)) + " → " + t(Self.side(c.new, runs: c.newRuns))
        var out = sides + ": judged on the \(c.estimator.label) of the rounds; "
        out += "change = new / base − 1, with its \(level(c)) interval (Student's t) from the rounds' bootstrap "
            + (c.baseRuns > 1 || c.newRuns > 1 ? "over runs, then rounds within runs, " : "")
            + "and the between-run spread, which one run's rounds cannot show"
            + String(format: ". A change counts when it is significant for the family of %d rows (%@), exceeds the threshold (%g%% unless a row says otherwise)",
                     c.familySize, c.family.rawValue, c.threshold * 100)
            // Instruction counts have no cycle floor: the boots' spread is the whole measure.
            + (c.counted == .guestInstructions ? "; " : " and one TSC cycle per op (code lands at other addresses in every process); ")
            + "MDE = the smallest change this comparison would see among its rows (alpha \(String(format: "%g", c.alpha)), power \(String(format: "%g%%", c.power * 100))); "
            + "unchanged = none beyond the threshold and MDE within it; inconclusive = neither, with the runs a side that would settle it\n\n"
        out += "Between-run spread: " + t(c.spread ?? "none learned for this machine") + "\n"
        out += "Family: " + c.family.sentence + "\n\n"
        return out
    }

    /// The machines, why no verdicts, what keeps it from passing, the host canary, emulation.
    static func circumstances(_ c: Comparison, markdown: Bool, _ t: (String) -> String) -> String {
        var out = c.machineDifferences.isEmpty
            ? (c.baseMachine == c.newMachine ? "Machine: \(c.baseMachine) for both\n\n"
               : "Machine: one machine, recorded as \(c.baseMachine) and \(c.newMachine) (a report from before machine-ids were recorded has a key of fewer fields)\n\n")
            : "Machines differ (\(c.baseMachine) → \(c.newMachine)): " + c.machineDifferences.map { "\($0.field) \(t($0.base)) → \(t($0.new))" }.joined(separator: "; ") + "\n\n"
        if let why = c.noVerdicts { out += "No verdicts: \(t(why))\n\n" }
        if !c.incomplete.isEmpty {
            out += "Not a pass, whatever the verdicts:\n" + c.incomplete.map { (markdown ? "- " : "  ") + t($0.sentence) + "\n" }.joined() + "\n"
        }
        if let shift = c.hostShift {
            out += String(format: "Host canary (user-space work timed in every round): %@ in %@", Self.change(shift), t(c.new))
                + (c.canaryCorrelation.map { String(format: "; its rounds' rank correlation with the rows' rounds: %.2f (median)", $0) } ?? "")
                + ". Shown, never judged by: it does not follow what kernel entry sees on a shared host\n\n"
        }
        if let clock = c.instructionClock {
            out += "icount: both sides counted guest instructions under \(t(clock)), not time: exact and the same on any host; "
                + "the boots a side are the between-run term, so a change beyond their spread is a verdict however small; "
                + "instruction counts price no instruction (a CR3 or MSR write counts as one)\n\n"
        } else if !c.emulated.isEmpty {
            out += "warning: \(t(c.emulated.joined(separator: " and "))) ran on an emulated CPU (QEMU TCG): those timings are not the hardware's\n\n"
        }
        return out
    }

    static func environment(_ c: Comparison, markdown: Bool, _ t: (String) -> String) -> String {
        guard !c.environment.isEmpty else {
            return "Environment: no difference in kernel, cmdline, mitigations, microcode, CPU, seccomp, clocksource, hypervisor, syscost version\n\n"
        }
        var out = markdown ? "### Environment differences\n\n| | \(t(c.base)) | \(t(c.new)) |\n|---|---|---|\n" : "Environment differences (\(c.base) → \(c.new)); each row names those that can move it:\n"
        for d in c.environment {
            out += markdown ? "| \(t(d.field)) | \(t(d.base)) | \(t(d.new)) |\n" : "  \(d.field): \(d.base)  →  \(d.new)\n"
        }
        return out + "\n"
    }

    /// A row per benchmark; a threshold column when some row has its own, an environment
    /// column when a difference can move some row.
    static func rowsTable(_ c: Comparison, markdown: Bool) -> String {
        let showThreshold = c.rows.contains { abs($0.threshold - c.threshold) > 1e-12 }
        let showEnvironment = c.rows.contains { !$0.explainedBy.isEmpty }
        var header = ["benchmark", "unit", "base", "new", "change", "\(level(c)) CI", "MDE", "CV base/new"]
        if showThreshold { header.append("threshold") }
        header.append("verdict")
        if showEnvironment { header.append("environment") }
        let rows = c.rows.map { r -> [String] in
            let ci = r.ratioCI95Low.flatMap { lo in r.ratioCI95High.map { hi in Self.change(lo) + "…" + Self.change(hi) } } ?? "-"
            var row = [r.id.description, r.unit.rawValue, Format.ns(r.baseValue), Format.ns(r.newValue), Self.change(r.ratio), ci,
                       r.mde.map { "±" + Format.percent($0) } ?? "-", Format.percent(r.baseCV) + "/" + Format.percent(r.newCV)]
            if showThreshold { row.append(String(format: "±%g%%", r.threshold * 100)) }
            row.append(Self.verdict(r))
            if showEnvironment { row.append(Self.environmentCell(r.explainedBy, c.environment)) }
            return row
        }
        let table = Table(header: header, rows: rows, numericColumns: Set(2...(showThreshold ? 8 : 7)))
        return markdown ? MarkdownRenderer.table(table, code: true) : TextRenderer.align(table) + "\n"
    }

    /// What was left out and why, rows that vary by run, and the verdicts counted.
    static func footer(_ c: Comparison, markdown: Bool, _ t: (String) -> String) -> String {
        var out = ""
        let bullet = markdown ? "- " : ""
        if !c.onlyInBase.isEmpty { out += bullet + t("only in \(c.base): \(Self.idList(c.onlyInBase))") + "\n" }
        if !c.onlyInNew.isEmpty { out += bullet + t("only in \(c.new): \(Self.idList(c.onlyInNew))") + "\n" }
        for (id, why) in c.notCompared.sorted(by: { $0.key < $1.key }) { out += bullet + t("not compared: \(id): \(why)") + "\n" }
        let unknown = c.rows.filter { $0.verdict == .inconclusive && $0.mde == nil && $0.variesBetweenRuns == nil }
        if let settle = unknown.first?.settle {
            out += bullet + "\(unknown.count) row(s) without an interval: \(settle)\n"
        }
        let planned = c.rows.compactMap { r in r.verdict == .inconclusive ? r.runsASideNeeded : nil }
        if !planned.isEmpty {
            let settledBy = planned.filter { $0 <= Comparison.maxRunsASide }
            out += bullet + "\(planned.count) inconclusive row(s) with a known spread: "
                + (settledBy.isEmpty ? "none settles within \(Comparison.maxRunsASide) runs a side"
                   : "\(settledBy.count) would be settled by \(settledBy.max() ?? 0) runs a side (the median row needs \(Int(Statistics.median(settledBy.map(Double.init)).rounded(.up))))"
                   + (settledBy.count < planned.count ? "; \(planned.count - settledBy.count) need more than \(Comparison.maxRunsASide)" : ""))
                + "\n"
        }
        var reasons: [String] = []
        for r in c.rows { if let why = r.variesBetweenRuns, !reasons.contains(why) { reasons.append(why) } }
        for why in reasons {
            let ids = c.rows.filter { $0.variesBetweenRuns == why }.map(\.id)
            out += bullet + "varies by run: \(ids.count) row(s) move between runs more than their rounds show (\(why)): one run a side cannot judge them; give several runs a side (BASE1 BASE2 -- NEW1 NEW2)\n"
        }
        let counts = Comparison.Verdict.allCasesInOrder.map { v in (v, c.rows.filter { $0.verdict == v }.count) }
        out += bullet + counts.map { "\($0.1) \($0.0.rawValue)" }.joined(separator: ", ")
            + (c.noVerdicts == nil ? "" : " (\(c.rows.count) without a verdict)")
            + (c.medianMDE.map { "; median MDE ±" + Format.percent($0) } ?? "")
            + (c.rows.contains { $0.withinFloor && $0.ratio != 1 && abs($0.ratio - 1) > 0.005 }
               ? "; \(c.rows.filter { $0.withinFloor && abs($0.ratio - 1) > 0.005 }.count) changed by no more than one cycle per op" : "") + "\n"
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
    public static let allCasesInOrder: [Comparison.Verdict] = [.regression, .improvement, .unchanged, .inconclusive]
}
