import Foundation
import SysCostModel

/// The smallest change that counts, per benchmark: a default and rules by glob on ids, the
/// first matching rule winning. A checked-in file (`--thresholds FILE`) reads:
///
///     {"default": 5, "rules": [{"pattern": "syscall/*", "percent": 5},
///                              {"pattern": "ctxswitch/*", "percent": 10}]}
public struct Thresholds: Codable, Equatable, Sendable {
    public struct Rule: Codable, Equatable, Sendable {
        public var pattern: String
        /// Percent: 5 means a change beyond ±5% counts.
        public var percent: Double
        public init(pattern: String, percent: Double) { self.pattern = pattern; self.percent = percent }
    }
    /// Percent, for ids no rule matches.
    public var `default`: Double
    public var rules: [Rule]

    public init(default percent: Double, rules: [Rule] = []) { self.default = percent; self.rules = rules }

    /// The threshold of `id` as a fraction (0.05 for 5%).
    public func fraction(for id: BenchmarkID) -> Double {
        (rules.first { IDPattern.matches($0.pattern, id) }?.percent ?? self.default) / 100
    }

    /// How many rules a file may hold, and how long (and how many `*`) a pattern may be: a
    /// glob is matched by backtracking, so its stars are what its cost grows with.
    public static let maxRules = 1_024
    public static let maxPatternBytes = 256
    public static let maxStars = 8

    /// A thresholds file (read as a report file is: a regular file, bounded, its JSON checked
    /// first); a file that is not one is named and refused.
    public static func load(_ path: String) throws -> Thresholds {
        let data = try ReportLoader.read(path)
        do { try JSONShape.check(data) } catch {
            throw SysCostError.invalidReport("\(path): not valid JSON: \(error)")
        }
        let t: Thresholds
        do { t = try JSONDecoder().decode(Thresholds.self, from: data) } catch {
            throw SysCostError.invalidReport(#"\#(path): not a thresholds file ({"default": 5, "rules": [{"pattern": "syscall/*", "percent": 5}]}): \#(error)"#)
        }
        guard t.rules.count <= maxRules else { throw SysCostError.invalidReport("\(path): \(t.rules.count) rules; at most \(maxRules)") }
        for rule in t.rules where rule.pattern.utf8.count > maxPatternBytes || rule.pattern.filter({ $0 == "*" }).count > maxStars {
            throw SysCostError.invalidReport("\(path): the pattern '\(rule.pattern.prefix(40))…' is longer than \(maxPatternBytes) bytes or has more than \(maxStars) '*'")
        }
        for value in [t.default] + t.rules.map(\.percent) where !(value >= 0 && value < 100_000) {
            throw SysCostError.invalidReport("\(path): a threshold of \(value)% is not a percentage from 0 up")
        }
        return t
    }
}
