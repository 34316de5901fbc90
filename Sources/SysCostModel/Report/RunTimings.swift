import Foundation

/// One run as a table of many runs needs it: its machine and kernel, when it started, whether
/// a signal cut it short, its host canary, and each benchmark's rounds — nothing else.
/// `history` and `report --html` keep this of every run they read and drop the rest as soon
/// as a file is decoded: a decoded 146-benchmark report holds about 250 KB (its results are
/// wide: counters, figures, warnings, descriptions), this about a tenth of it, so their memory
/// follows the cells they show. The run a page shows in detail is read again, whole.
public struct RunTimings: Sendable {
    public struct Result: Sendable {
        public var id: BenchmarkID
        public var unit: FigureUnit
        /// The rounds; empty when the benchmark gave no figure (failed, skipped).
        public var samples: [Double]

        public init(id: BenchmarkID, unit: FigureUnit, samples: [Double]) { self.id = id; self.unit = unit; self.samples = samples }
    }

    public var environment: EnvironmentInfo
    public var startedAt: String
    public var interrupted: Bool
    /// The host canary's rounds (nil in reports from before it).
    public var canary: [Double]?
    public var results: [Result]

    public init(_ report: RunReport) {
        environment = report.environment
        startedAt = report.config.startedAt
        interrupted = report.interrupted
        // Copies sized to their contents: the decoder's buffers may be larger.
        canary = report.canary.map { $0.samples.map { $0 } }
        results = report.results.map { r in
            Result(id: r.id, unit: r.unit, samples: r.summary == nil ? [] : r.samples.map { $0 })
        }
    }
}
