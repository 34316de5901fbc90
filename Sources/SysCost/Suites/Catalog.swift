import Foundation
import SysCostModel
import SysCostSuites

/// Every benchmark syscost knows, and the selection of them by glob patterns.
public enum Catalog {
    /// Every suite's measuring side, in catalog order. A new suite adds one line.
    static let suites: [any Suite] = [SyscallSuite(), VDSOSuite(), TimerSuite(), CtxSwitchSuite(), IndirectSuite(), SignalSuite(),
                                        LifecycleSuite(), MemorySuite(), IOSuite()]

    /// Every benchmark, suite by suite in `Suites.all`'s order: the one registry that fixes
    /// the order of suites (in `list`, a run's rounds before shuffling, every report).
    public static func all(_ setup: CatalogSetup = CatalogSetup()) -> [Benchmark] {
        let order = Dictionary(Suites.all.enumerated().map { ($1.suite, $0) }, uniquingKeysWith: { a, _ in a })
        let rank = { (group: [Benchmark]) in group.first.flatMap { order[$0.id.suite] } ?? Int.max }
        return suites.map { $0.benchmarks(setup) }.enumerated()
            .sorted { (rank($0.element), $0.offset) < (rank($1.element), $1.offset) }.flatMap(\.element)
    }

    /// The benchmarks matching any of `patterns` (globs on ids; a pattern without glob
    /// characters also matches as a prefix ending at a `/`, so `syscall` selects the suite).
    /// No pattern selects the default matrix (`inDefaultMatrix`). A pattern matching nothing is
    /// a usage error naming the closest ids.
    public static func select(_ patterns: [String], from benchmarks: [Benchmark] = all()) throws -> [Benchmark] {
        guard !patterns.isEmpty else { return benchmarks.filter(\.inDefaultMatrix) }
        for pattern in patterns where !benchmarks.contains(where: { matches(pattern, $0.id) }) {
            let near = closest(to: pattern, in: benchmarks.map(\.id.description))
            throw SysCostError.usage(
                "no benchmark matches '\(pattern)'; closest: \(near.joined(separator: ", ")) (see 'syscost list')")
        }
        return withBaselines(benchmarks.filter { b in patterns.contains { matches($0, b.id) } }, from: benchmarks)
    }

    /// `selected` and the baselines they need, in catalog order: derived figures subtract a
    /// baseline measured in the same run (a syscall's direct cost, a transport's cost without
    /// a switch), so those join any selection. The one place this rule is written.
    public static func withBaselines(_ selected: [Benchmark], from benchmarks: [Benchmark]) -> [Benchmark] {
        let wanted = Set(selected.map(\.id)).union(selected.flatMap { $0.relations.filter(\.isRequired).map(\.id) })
        return benchmarks.filter { wanted.contains($0.id) }
    }

    public static func matches(_ pattern: String, _ benchmark: BenchmarkID) -> Bool { IDPattern.matches(pattern, benchmark) }

    /// The `count` ids nearest to `text` by edit distance (ties in catalog order).
    public static func closest(to text: String, in ids: [String], count: Int = 3) -> [String] {
        let stripped = text.filter { !"*?[]".contains($0) }
        return ids.enumerated()
            .map { (distance: editDistance(stripped, $0.element), index: $0.offset, id: $0.element) }
            .sorted { ($0.distance, $0.index) < ($1.distance, $1.index) }
            .prefix(count).map(\.id)
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in stride(from: 1, through: b.count, by: 1) {
                current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1,
                                       previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
