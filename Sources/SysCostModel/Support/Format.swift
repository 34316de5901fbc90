import Foundation

/// Number formatting shared by everything a person reads.
public enum Format {
    public static func ns(_ value: Double?) -> String {
        guard let value else { return "-" }
        if abs(value) >= 10_000 { return String(format: "%.0f", value) }
        if abs(value) >= 100 { return String(format: "%.1f", value) }
        return String(format: "%.2f", value)
    }

    /// Nanoseconds said in microseconds ("12.3"), for costs of thousands of ns.
    public static func us(_ ns: Double?) -> String { ns.map { Format.ns($0 / 1000) } ?? "-" }

    public static func percent(_ value: Double?) -> String {
        guard let value else { return "-" }
        return String(format: "%.1f%%", value * 100)
    }

    /// The median's interval, or why there is none.
    public static func ci(_ s: Summary?) -> String {
        guard let s else { return "-" }
        guard let lo = s.ci95Low, let hi = s.ci95High else { return "none (n<6)" }
        return "\(ns(lo))–\(ns(hi))"
    }

    /// The undisturbed cost's interval, or why there is none ("-" for reports from before it).
    public static func undisturbedCI(_ s: Summary?) -> String {
        guard let s, s.p10 != nil else { return "-" }
        guard let lo = s.p10CI95Low, let hi = s.p10CI95High else { return "none (n<36)" }
        return "\(ns(lo))–\(ns(hi))"
    }

    /// The samples' CV, or "-" for fewer than two samples (which have no spread to show).
    public static func cv(_ s: Summary?) -> String {
        guard let s, (s.count ?? 2) >= 2 else { return "-" }
        return percent(s.cv)
    }

    /// A count: no decimals from 100 up, 2 from 1, 4 below.
    public static func count(_ value: Double) -> String {
        let magnitude = abs(value)
        if magnitude == 0 { return "0" }
        if magnitude >= 100 { return String(format: "%.0f", value) }
        if magnitude >= 1 { return String(format: "%.2f", value) }
        return String(format: "%.4f", value)
    }
}

extension String {
    public var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}
