import Foundation

/// Glob patterns on benchmark ids, as `run`, `compare`, `history` and `report` take them:
/// `syscall/*`, `*/libc`, or a bare prefix (`syscall`, `ctxswitch/pipe-process`) that matches
/// at a `/`.
public enum IDPattern {
    public static func matches(_ pattern: String, _ id: BenchmarkID) -> Bool {
        let text = id.description
        if fnmatch(pattern, text, 0) == 0 { return true }
        let isGlob = pattern.contains { "*?[".contains($0) }
        return !isGlob && text.hasPrefix(pattern.hasSuffix("/") ? pattern : pattern + "/")
    }
}

/// `--only` and `--exclude`: which results a command looks at.
public struct ResultFilter: Sendable, Equatable {
    public var only: [String]
    public var exclude: [String]

    public init(only: [String] = [], exclude: [String] = []) { self.only = only; self.exclude = exclude }

    public var isEmpty: Bool { only.isEmpty && exclude.isEmpty }

    public func keeps(_ id: BenchmarkID) -> Bool {
        (only.isEmpty || only.contains { IDPattern.matches($0, id) }) && !exclude.contains { IDPattern.matches($0, id) }
    }

    /// The report with only the results kept.
    public func apply(_ report: RunReport) -> RunReport {
        guard !isEmpty else { return report }
        var r = report
        r.results = report.results.filter { keeps($0.id) }
        return r
    }
}
