import Foundation
import SysCostModel
import SysCostStatistics

/// Suite `indirect`: what a syscall costs the user code after it (FlexSC, OSDI'10).
public struct IndirectDescriptor: SuiteDescriptor {
    public var suite: SuiteName { .indirect }
    public var figureKinds: [DerivedFigure.Kind] { [.walkBaseline, .directCost, .indirectCost] }
    public init() {}

    /// Dependent loads between two syscalls of a walk.
    public static let steps = 64
    /// The walk without a syscall.
    public static let baselineVariant = "none"

    /// A walk's cost depends on which cache sets and TLB entries its buffer's physical pages
    /// map to, and the buffer is allocated afresh each run: back-to-back runs of this project's
    /// VMs moved walk-256K by 8% and walk-4M by 40% with rounds steady within each run.
    public func variesBetweenRuns(_ id: BenchmarkID) -> String? {
        Suites.bufferPlacement
    }

    /// (walk with syscall) − baseline − direct for each with-syscall walk, round by round,
    /// and a warning when its interval does not exclude zero.
    public func derive(_ results: inout [BenchmarkResult], in run: RunContext) {
        let byID = results.byID
        for i in results.indices where results[i].suite == suite {
            guard let baselineID = results[i].related(.baseline), let directID = results[i].related(.directCost),
                  let walk = byID[baselineID], let call = byID[directID], let with = results[i].undisturbed,
                  let baseline = walk.undisturbed, let direct = call.undisturbed else { continue }
            // Round by round: this walk's batch, the bare walk's and the bare call's were taken
            // within milliseconds of each other.
            let paired = PairedEstimate.over([results[i].samples, walk.samples, call.samples], interleaved: run.interleaved) {
                $0[0] - $0[1] - $0[2]
            }
            let extra = paired?.value ?? with - baseline - direct
            results[i].figures.append(contentsOf: IndirectCost(baselineNs: baseline, directNs: direct, extraNs: extra, extra: paired).figures)
            if let paired, paired.low != nil {
                if !paired.excludes(0) {
                    results[i].warnings.append(Warning(.withinNoise, "the indirect cost is \(paired.differenceText()) over \(paired.rounds) paired rounds"))
                }
            } else {
                results[i].warnings.append(Warning(.withinNoise, "the indirect cost has no 95% interval (rounds not paired, or fewer than 6)"))
            }
        }
    }

    /// Working sets down, syscalls across: ns each syscall cost the walk beyond its direct cost
    /// ("overlap" where the two together cost less than apart).
    public func sections(of report: RunReport) -> [ReportSection] {
        let u = report.environment.counted.word
        let results = report.results.filter { $0.suite == suite }
        guard !results.isEmpty else { return [] }
        let byID = results.byID
        let walks = results.filter { $0.id.isForm(Self.baselineVariant) }
        var calls: [String] = []
        for r in results where !r.id.isForm(Self.baselineVariant) && !calls.contains(r.id.variant) { calls.append(r.id.variant) }
        let rows = walks.map { base -> [String] in
            let cells = calls.map { call -> String in
                guard let r = byID[base.id.with(variant: call)], let cost = r.indirect else { return "-" }
                if let paired = cost.extra, paired.low != nil {
                    // Significantly below zero: the walk and the call overlap, so together they
                    // cost less than apart; that is no negative cost.
                    return paired.differenceText(unit: u, negative: "overlap: together less by")
                }
                return "no interval (rounds not paired)"
            }
            return [base.id.name, Format.ns(base.undisturbed)] + cells
        }
        return [ReportSection(
            title: "Indirect cost of a syscall: \(u) it adds to a pointer chase beyond its own cost, by working set",
            table: Table(header: ["walk", "\(u)/\(Self.steps) loads"] + calls.map { "+\($0) \(u)" }, rows: rows))]
    }
}

extension SuiteName {
    public static let indirect = SuiteName("indirect")
}
