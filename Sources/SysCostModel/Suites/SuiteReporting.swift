/// What a suite knows about its results once they are measured: the figures it derives from
/// several results of one run, and the sections it adds to a report. It needs no C and no
/// measuring code, so compare, history and report can use it on saved runs. The measuring
/// side of a suite (its benchmarks and loops) lives in the SysCost target's Suites folder.
public protocol SuiteReporting: Sendable {
    var suite: SuiteName { get }
    /// Adds derived figures and warnings to this suite's results, from the results of the
    /// same run they name in `relations`.
    func derive(_ results: inout [BenchmarkResult], in run: RunContext)
    /// The sections this suite adds to a run's document (none when its results are absent).
    func sections(of report: RunReport) -> [ReportSection]
    /// Why `id`'s figure moves between runs by more than its rounds within one run show (a
    /// buffer that lands on other physical pages each run), or nil when it does not. Compare
    /// gives such a benchmark no verdict from one run a side: several runs a side show how
    /// far it moves.
    func variesBetweenRuns(_ id: BenchmarkID) -> String?
}

extension SuiteReporting {
    public func sections(of report: RunReport) -> [ReportSection] { [] }
    public func variesBetweenRuns(_ id: BenchmarkID) -> String? { nil }
}

/// Every suite's report side, in the order their sections appear. A new suite adds one line.
public enum Suites {
    public static let reporting: [any SuiteReporting] = [
        SyscallReporting(), VDSOReporting(), CtxSwitchReporting(), IndirectReporting(),
    ]

    /// Every suite's derivations over one run's results.
    public static func derive(_ results: inout [BenchmarkResult], in run: RunContext) {
        for suite in reporting { suite.derive(&results, in: run) }
    }

    public static func sections(of report: RunReport) -> [ReportSection] {
        reporting.flatMap { $0.sections(of: report) }.filter { !$0.isEmpty }
    }

    /// Why a benchmark that touches a buffer allocated afresh in every run moves between runs:
    /// what it costs depends on which cache sets and TLB entries the buffer's pages map to.
    public static let bufferPlacement = "its buffer lands on other physical pages in every run (cache sets, TLB reach)"

    /// Why `id` varies between runs beyond its rounds (its suite says), or nil.
    public static func variesBetweenRuns(_ id: BenchmarkID) -> String? {
        reporting.first { $0.suite == id.suite }?.variesBetweenRuns(id)
    }
}

/// What derivations need to know of the run besides its results.
public struct RunContext: Sendable {
    public var environment: EnvironmentInfo
    /// Whether round i of every benchmark was taken together, so samples pair by round.
    public var interleaved: Bool

    public init(environment: EnvironmentInfo, interleaved: Bool) { self.environment = environment; self.interleaved = interleaved }
}

extension Array where Element == BenchmarkResult {
    /// Results by id (the first of a repeated id).
    public var byID: [BenchmarkID: BenchmarkResult] {
        Dictionary(map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    }
}
