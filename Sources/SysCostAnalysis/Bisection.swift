import Foundation
import SysCostModel
import SysCostStatistics

/// Which point release of a kernel series first moved one benchmark: a binary search over the
/// series, each step booting the release halfway between the last one known to read as the
/// first kernel and the first one known to read otherwise. "Moved" is `syscost compare`'s
/// verdict (regression or improvement) of a release's boots against the first kernel's, so a
/// figure that varies between boots moves only beyond the spread its boots show.
///
/// The search needs no kernel booted twice: `next` says which release to boot, given the runs
/// so far, until it can name the first that moved (`scripts/kernel-matrix.sh --bisect` boots
/// what it says and asks again).
public struct Bisection: Sendable {
    /// Where the search stands.
    public enum Step: Equatable, Sendable {
        /// Boot this release (an index into the series) and ask again.
        case boot(Int)
        /// `first` is the first release whose figure moved from the first kernel's; `last` the
        /// release before it, which had not.
        case found(first: Int, last: Int)
        /// The two ends read alike: nothing moved between them beyond the boots' spread.
        case unmoved
        /// A comparison the search needs gave no verdict either way (too few rounds, or a
        /// figure whose boots vary more than its change): it stops there, naming the release.
        case undecided(Int, why: String)
    }

    /// One comparison the search made, for the report: release `index` against the first.
    public struct Probe: Equatable, Sendable {
        public var index: Int
        public var row: Comparison.Row
    }

    public var id: BenchmarkID
    /// The releases, oldest first (kernel release strings, as reports record them).
    public var series: [String]
    public var thresholds: Thresholds
    public var alpha: Double

    public init(id: BenchmarkID, series: [String], thresholds: Thresholds, alpha: Double = Comparison.defaultAlpha) {
        self.id = id; self.series = series; self.thresholds = thresholds; self.alpha = alpha
    }

    /// The next step, from the runs saved so far (by series index; a release not booted yet
    /// has none), with every comparison it made on the way.
    public func next(runs: [Int: [RunReport]]) throws -> (step: Step, probes: [Probe]) {
        guard series.count >= 2 else { throw SysCostError.usage("a bisection needs at least two releases (got \(series.count))") }
        var probes: [Probe] = []
        let first = 0, lastIndex = series.count - 1
        guard let base = runs[first], !base.isEmpty else { return (.boot(first), probes) }
        guard runs[lastIndex]?.isEmpty == false else { return (.boot(lastIndex), probes) }
        func verdict(_ a: Int, _ i: Int, _ these: [RunReport]) throws -> Comparison.Verdict? {
            let c = try Comparison.compare(.init(series[a], runs[a] ?? []), .init(series[i], these), thresholds: thresholds, alpha: alpha)
            guard let row = c.rows.first(where: { $0.id == id }) else {
                throw SysCostError.usage("\(id) is not compared between \(series[a]) and \(series[i]): " + (c.notCompared[id] ?? "it is not in both"))
            }
            if a == first { probes.append(Probe(index: i, row: row)) }
            return row.verdict
        }
        // moved(i): does release i read as the last release (true) or as the first (false)? A
        // change against the first is a move; no change, an old reading. A release the first
        // cannot judge (its rounds too few for the threshold) is old if it differs from the
        // last, new if it matches it, and undecided otherwise.
        func moved(_ i: Int) throws -> Bool? {
            guard let these = runs[i], !these.isEmpty else { return nil }
            switch try verdict(first, i, these) {
            case .regression?, .improvement?: return true
            case .unchanged?: return false
            default: break
            }
            guard i != lastIndex else { return nil }
            switch try verdict(lastIndex, i, these) {
            case .regression?, .improvement?: return false
            case .unchanged?: return true
            default: return nil
            }
        }
        guard let endMoved = try moved(lastIndex) else {
            return (.undecided(lastIndex, why: "its boots against the first kernel's give no verdict"), probes)
        }
        guard endMoved else { return (.unmoved, probes) }
        var low = first, high = lastIndex
        while high - low > 1 {
            let mid = (low + high) / 2
            guard runs[mid]?.isEmpty == false else { return (.boot(mid), probes) }
            guard let m = try moved(mid) else {
                return (.undecided(mid, why: "its boots give no verdict against either end's"), probes)
            }
            if m { high = mid } else { low = mid }
        }
        return (.found(first: high, last: low), probes)
    }
}
