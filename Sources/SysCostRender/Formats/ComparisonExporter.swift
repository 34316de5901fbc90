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
        let heading = String(format: "%@ → %@: change = new median / base median − 1; a change counts when p < %g (Mann-Whitney U), it exceeds %g%%, and its 95%% bootstrap interval stays further from 0 than %g× the larger CV",
                             c.base, c.new, c.alpha, c.threshold * 100, Comparison.noiseMultiple)
        out += heading + "\n\n"
        if !c.emulated.isEmpty {
            out += "warning: \(c.emulated.joined(separator: " and ")) ran on an emulated CPU (QEMU TCG): those timings are not the hardware's\n\n"
        }
        if c.environment.isEmpty {
            out += "Environment: no difference in kernel, cmdline, mitigations, microcode, CPU, seccomp, clocksource, hypervisor, syscost version\n\n"
        } else {
            out += markdown ? "### Environment differences\n\n| | \(c.base) | \(c.new) |\n|---|---|---|\n" : "Environment differences (\(c.base) → \(c.new)):\n"
            for d in c.environment {
                out += markdown ? "| \(d.field) | \(d.base) | \(d.new) |\n" : "  \(d.field): \(d.base)  →  \(d.new)\n"
            }
            out += "\n"
        }
        let header = ["benchmark", "unit", "base", "new", "change", "95% CI", "p", "CV base/new", "verdict"]
        let rows = c.rows.map { r -> [String] in
            let ci = r.ratioCI95Low.flatMap { lo in r.ratioCI95High.map { hi in Self.change(lo) + "…" + Self.change(hi) } } ?? "-"
            return [r.id.description, r.unit.rawValue, Format.ns(r.baseMedian), Format.ns(r.newMedian), Self.change(r.ratio), ci, Self.p(r.pValue),
                    Format.percent(r.baseCV) + "/" + Format.percent(r.newCV), r.verdict.rawValue]
        }
        if markdown {
            out += "| " + header.joined(separator: " | ") + " |\n|---|---|--:|--:|--:|--:|--:|--:|---|\n"
            out += rows.map { "| " + $0.enumerated().map { $0 == 0 ? "`\($1)`" : $0 == 8 && $1 == "regression" ? "**\($1)**" : $1 }
                .joined(separator: " | ") + " |\n" }.joined()
        } else {
            out += TextRenderer.align([header] + rows, rightAligned: Set(2...7)) + "\n"
        }
        out += "\n"
        let bullet = markdown ? "- " : ""
        if !c.onlyInBase.isEmpty { out += bullet + "only in \(c.base): \(c.onlyInBase.map(\.description).joined(separator: ", "))\n" }
        if !c.onlyInNew.isEmpty { out += bullet + "only in \(c.new): \(c.onlyInNew.map(\.description).joined(separator: ", "))\n" }
        for (id, why) in c.notCompared.sorted(by: { $0.key < $1.key }) { out += bullet + "not compared: \(id): \(why)\n" }
        let counts = Comparison.Verdict.allCasesInOrder.map { v in (v, c.rows.filter { $0.verdict == v }.count) }
        out += bullet + counts.map { "\($0.1) \($0.0.rawValue)" }.joined(separator: ", ") + "\n"
        return out
    }
}

extension Comparison.Verdict {
    public static let allCasesInOrder: [Comparison.Verdict] = [.regression, .improvement, .unchanged, .noisy]
}
