import Foundation

/// Suite `indirect`: what a syscall costs the user code after it (FlexSC, OSDI'10).
public struct IndirectReporting: SuiteReporting {
    public var suite: SuiteName { .indirect }
    public init() {}

    /// Dependent loads between two syscalls of a walk.
    public static let steps = 64
    /// The walk without a syscall.
    public static let baselineVariant = "none"

    /// (walk with syscall) − baseline − direct for each with-syscall walk, and a warning when
    /// that difference is inside the noise of its three inputs.
    public func derive(_ results: inout [BenchmarkResult], environment: EnvironmentInfo) {
        let summaries = Dictionary(results.compactMap { r in r.summary.map { (r.id, $0) } }, uniquingKeysWith: { a, _ in a })
        func halfWidth(_ id: BenchmarkID) -> Double { summaries[id].map { ($0.ci95High - $0.ci95Low) / 2 } ?? 0 }
        for i in results.indices where results[i].suite == suite {
            guard let baselineID = results[i].related(.baseline), let directID = results[i].related(.directCost),
                  let with = results[i].median, let baseline = summaries[baselineID]?.median,
                  let direct = summaries[directID]?.median else { continue }
            let extra = with - baseline - direct
            results[i].figures.append(.indirect(IndirectCost(baselineNs: baseline, directNs: direct, extraNs: extra)))
            let inputs = [results[i].id, baselineID, directID]
            let noise = inputs.map(halfWidth).reduce(0, +)
            let noisiest = inputs.compactMap { summaries[$0]?.cv }.max() ?? 0
            if abs(extra) <= noise {
                results[i].warnings.append(Warning(.withinNoise, String(format: "the indirect cost %.1f ns is inside the medians' combined 95%% intervals (±%.1f ns)", extra, noise)))
            } else if noisiest > 0.10 {
                results[i].warnings.append(Warning(.withinNoise, String(format: "an input of the indirect cost has CV %.0f%%", noisiest * 100)))
            }
        }
    }

    /// Working sets down, syscalls across: ns each syscall cost the walk beyond its direct cost.
    public func sections(of report: RunReport) -> [ReportSection] {
        let results = report.results.filter { $0.suite == suite }
        guard !results.isEmpty else { return [] }
        let byID = results.byID
        let walks = results.filter { $0.id.variant == Self.baselineVariant }
        var calls: [String] = []
        for r in results where r.id.variant != Self.baselineVariant && !calls.contains(r.id.variant) { calls.append(r.id.variant) }
        let rows = walks.map { base -> [String] in
            let cells = calls.map { call -> String in
                guard let r = byID[base.id.with(variant: call)], let extra = r.indirect?.extraNs else { return "-" }
                return Format.ns(extra) + (r.has(.withinNoise) ? " (noise)" : "")
            }
            return [base.id.name, Format.ns(base.median)] + cells
        }
        return [ReportSection(
            title: "Indirect cost of a syscall: ns it adds to a pointer chase beyond its own cost, by working set",
            table: Table(header: ["walk", "ns/\(Self.steps) loads"] + calls.map { "+\($0) ns" }, rows: rows))]
    }
}
