import Foundation
import SysCostModel

extension Comparison {
    /// A reason a comparison cannot pass a gate whatever its verdicts say: a broken,
    /// interrupted or partial run is never a pass. `compare` and `baseline check` exit 4 on any
    /// (1 when a regression was found as well).
    public struct Incompleteness: Codable, Equatable, Sendable {
        public enum Kind: String, Codable, CaseIterable, Sendable {
            /// A signal stopped a run of the side early: its figures are partial.
            case interrupted
            /// Benchmarks of the side failed their check (or their set-up): no figure.
            case failed
            /// Benchmarks the base measured that the new side did not (absent, skipped, failed
            /// elsewhere); `--allow-missing` accepts them.
            case missing
            /// No benchmark could be compared at all.
            case nothingCompared = "nothing-compared"
            /// Benchmarks whose figure in the side is not a positive, finite time (zeros,
            /// negatives, a doctored file): never a row that lets a gate pass.
            case notPositive = "not-positive"
        }

        public var kind: Kind
        /// The side it concerns, as the comparison names it.
        public var side: String
        public var ids: [BenchmarkID]

        public init(_ kind: Kind, side: String, ids: [BenchmarkID] = []) { self.kind = kind; self.side = side; self.ids = ids }

        /// One line naming the cause.
        public var sentence: String {
            switch kind {
            case .interrupted: return "\(side) was interrupted: its figures are partial"
            case .failed:
                return "\(ids.count) benchmark\(ids.count == 1 ? "" : "s") failed \(ids.count == 1 ? "its" : "their") check in \(side): \(Comparison.sample(ids))"
            case .missing:
                return "\(ids.count) benchmark\(ids.count == 1 ? "" : "s") of the base \(ids.count == 1 ? "has" : "have") no figure in \(side): \(Comparison.sample(ids)) (--allow-missing accepts that)"
            case .nothingCompared: return "nothing was compared: no benchmark has a figure on both sides"
            case .notPositive:
                return "\(ids.count) benchmark\(ids.count == 1 ? "" : "s") of \(side) \(ids.count == 1 ? "has" : "have") no positive, finite time: \(Comparison.sample(ids))"
            }
        }
    }

    /// Why the sides cannot pass a gate. `allowMissing`: benchmarks the new side lacks are no
    /// reason.
    static func incompleteness(base: Side, new: Side, compared: Int, allowMissing: Bool,
                               notPositive: [(side: String, id: BenchmarkID)] = []) -> [Incompleteness] {
        var found: [Incompleteness] = []
        for side in [base.name, new.name] {
            let ids = notPositive.filter { $0.side == side }.map(\.id)
            if !ids.isEmpty { found.append(Incompleteness(.notPositive, side: side, ids: ids)) }
        }
        for side in [base, new] where side.runs.contains(where: \.interrupted) {
            found.append(Incompleteness(.interrupted, side: side.name))
        }
        var failedIDs: Set<BenchmarkID> = []
        for side in [base, new] {
            var failed: [BenchmarkID] = []
            for run in side.runs { for r in run.results where r.status == .failed && !failed.contains(r.id) { failed.append(r.id) } }
            failedIDs.formUnion(failed)
            if !failed.isEmpty { found.append(Incompleteness(.failed, side: side.name, ids: failed)) }
        }
        if !allowMissing {
            let measured = base.runs.flatMap { $0.results.filter { $0.summary != nil }.map(\.id) }
            var missing: [BenchmarkID] = []
            for id in measured where !failedIDs.contains(id) && !missing.contains(id) {
                if new.runs.contains(where: { $0.result(id)?.summary == nil }) { missing.append(id) }
            }
            if !missing.isEmpty { found.append(Incompleteness(.missing, side: new.name, ids: missing)) }
        }
        if compared == 0 { found.append(Incompleteness(.nothingCompared, side: new.name)) }
        return found
    }
}
