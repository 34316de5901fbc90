import ArgumentParser
import SysCostAnalysis
import SysCostModel

/// A numeric flag's range, in one place: its help says it, and `check` refuses a value
/// outside it at parse time (exit 2), naming the flag and the range. NaN is in no range.
struct FlagRange<Value: Comparable & CustomStringConvertible>: Sendable where Value: Sendable {
    let flag: String
    let range: ClosedRange<Value>
    /// "ms", "seconds", "%", … (empty for a count).
    let unit: String

    init(_ flag: String, _ range: ClosedRange<Value>, _ unit: String = "") {
        self.flag = flag; self.range = range; self.unit = unit
    }

    /// "1 to 1000000", "0.001 to 500 ms".
    var text: String { "\(Self.shown(range.lowerBound)) to \(Self.shown(range.upperBound))" + (unit.isEmpty ? "" : " " + unit) }

    /// 500, not 500.0.
    static func shown(_ value: Value) -> String {
        if let d = value as? Double, d == d.rounded(), d.magnitude < 1e15 { return String(Int(d)) }
        return "\(value)"
    }

    func check(_ value: Value?) throws {
        guard let value, !range.contains(value) else { return }
        throw ValidationError("\(flag) is \(text) (got \(value))")
    }
}

/// Every numeric flag's range.
enum FlagRanges {
    static let rounds = FlagRange("--repetitions", 1...ReportLimits.samplesPerResult)
    /// A batch is never cut short (a stop is acted on between batches) and calibration may
    /// overshoot twice: 500 ms keeps SIGINT and SIGTERM answered within about a second.
    static let minBatchTime = FlagRange("--min-batch-time", 0.001...500.0, "ms")
    static let warmup = FlagRange("--warmup", 0.0...600_000.0, "ms")
    static let timeBudget = FlagRange("--time-budget", 0.001...86_400.0, "seconds")
    static let targetPrecision = FlagRange("--target-precision", 0.01...99.0, "%")
    static let distribution = FlagRange("--distribution", 100...10_000_000, "calls")
    static let cpu = FlagRange("--cpu", 0...CPUList.maxCPU)
    static let threshold = FlagRange("--threshold", 0.0...1000.0, "%")
    static let alpha = FlagRange("--alpha", 0.000001...0.5)
    static let power = FlagRange("--power", 0.5...0.9999)
    static let sample = FlagRange("--sample", 10.0...60_000.0, "ms")
    static let canary = FlagRange("--canary", 0.05...60.0, "seconds")
    static let last = FlagRange("--last", 1...100_000, "runs")
    static let calibrateRuns = FlagRange("--runs", BetweenRunSpread.minimumRuns...SpreadStore.maxRuns, "runs")
    static let spacing = FlagRange("--spacing", 0.0...3600.0, "seconds")
    static let baselineRuns = FlagRange("--runs", 1...BaselineStore.maxRuns, "runs")
    static let confirmAfter = FlagRange("--confirm-after", 0.0...86_400.0, "seconds")
}
