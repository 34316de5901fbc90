import Foundation

/// How a gate over many rows keeps its false alarms at the level it states. At 200 rows a
/// per-row 5 % test raises a false alarm in nearly every comparison of a run with itself;
/// Holm's step-down procedure keeps the chance of even one false row at alpha for the whole
/// family, whatever the rows' dependence, and is never less powerful than Bonferroni.
public enum FamilyControl: String, Codable, CaseIterable, Sendable {
    /// Holm (1979): the family-wise error rate is at most alpha over all rows judged.
    case holm
    /// Each row on its own at alpha: the gate's false-alarm rate grows with the rows.
    case none

    /// Which of the p-values are significant at `alpha` for the family (nil: a row not judged,
    /// never significant and not counted in the family).
    public func significant(_ pValues: [Double?], alpha: Double) -> [Bool] {
        switch self {
        case .none: return pValues.map { $0.map { $0 <= alpha } ?? false }
        case .holm:
            let judged = pValues.enumerated().compactMap { i, p in p.map { (i, $0) } }.sorted { $0.1 < $1.1 }
            var out = Array(repeating: false, count: pValues.count)
            for (k, (i, p)) in judged.enumerated() {
                guard p <= alpha / Double(judged.count - k) else { break }
                out[i] = true
            }
            return out
        }
    }

    /// The level a lone true change must reach to be seen among `family` rows: what an MDE
    /// that promises "a change this large would have been seen" is computed at.
    public func worstLevel(alpha: Double, family: Int) -> Double {
        switch self {
        case .none: return alpha
        case .holm: return alpha / Double(max(family, 1))
        }
    }

    /// How the output names it.
    public var sentence: String {
        switch self {
        case .holm: return "Holm over the rows: at most alpha chance of any false regression or improvement in the whole comparison"
        case .none: return "none: each row at alpha on its own, so false rows grow with the rows"
        }
    }
}
