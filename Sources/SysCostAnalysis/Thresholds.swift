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

    /// A thresholds file; a file that is not one is named and refused.
    public static func load(_ path: String) throws -> Thresholds {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SysCostError.invalidReport("\(path): cannot read the thresholds file")
        }
        let t: Thresholds
        do { t = try JSONDecoder().decode(Thresholds.self, from: data) } catch {
            throw SysCostError.invalidReport(#"\#(path): not a thresholds file ({"default": 5, "rules": [{"pattern": "syscall/*", "percent": 5}]}): \#(error)"#)
        }
        for value in [t.default] + t.rules.map(\.percent) where !(value >= 0 && value < 100_000) {
            throw SysCostError.invalidReport("\(path): a threshold of \(value)% is not a percentage from 0 up")
        }
        return t
    }
}
