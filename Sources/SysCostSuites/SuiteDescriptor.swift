import SysCostModel
import SysCostStatistics

/// Everything about a suite that is not measuring: its name and named ids, the figures it
/// derives from several results of one run, the sections it adds to a report, which of its
/// figures vary between runs, which of its benchmarks go through libc, and which system calls
/// it prices for `syscost profile`. It needs no C and no measuring code, so compare, history
/// and report use it on saved runs; the model (plain data) knows no suite. A suite's
/// measuring side (its benchmarks: fixtures, checks, C loops) lives in the SysCost target's
/// `Suites/<Name>/` folder. A new suite is a folder here and one there, and one line in each
/// registry (`Suites.all`, `Catalog.suites`).
public protocol SuiteDescriptor: Sendable {
    var suite: SuiteName { get }
    /// Adds derived figures and warnings to this suite's results, from the results of the
    /// same run they name in `relations`.
    func derive(_ results: inout [BenchmarkResult], in run: RunContext)
    /// The sections this suite adds to a run's document (none when its results are absent).
    func sections(of report: RunReport) -> [ReportSection]
    /// The lines of the run's headline this suite gives: the figures people run syscost for,
    /// each with its interval (none when its results are absent).
    func headline(of report: RunReport) -> [HeadlineRow]
    /// Why `id`'s figure moves between runs by more than its rounds within one run show (a
    /// buffer that lands on other physical pages each run), or nil when it does not. Compare
    /// gives such a benchmark no verdict from one run a side: several runs a side show how
    /// far it moves.
    func variesBetweenRuns(_ id: BenchmarkID) -> String?
    /// Whether `id` calls through libc (so a different glibc can move it).
    func usesLibc(_ id: BenchmarkID) -> Bool
    /// System calls (as the kernel's tracepoints name them) this suite's benchmarks price.
    var prices: [String: PriceRule] { get }
    /// Calls with a vDSO path, and the benchmark that prices them made that way.
    var vdsoPrices: [String: BenchmarkID] { get }
    /// Its benchmarks in the fleet watch's short matrix (`syscost watch`, `--preset watch`).
    var watchIDs: [BenchmarkID] { get }
    /// The kinds of derived figure this suite puts on its results (the schema's list is
    /// these, every suite's, and the runner's A/B `knob-cost`).
    var figureKinds: [DerivedFigure.Kind] { get }
}

extension SuiteDescriptor {
    public func derive(_ results: inout [BenchmarkResult], in run: RunContext) {}
    public func sections(of report: RunReport) -> [ReportSection] { [] }
    public func headline(of report: RunReport) -> [HeadlineRow] { [] }
    public func variesBetweenRuns(_ id: BenchmarkID) -> String? { nil }
    public func usesLibc(_ id: BenchmarkID) -> Bool { false }
    public var prices: [String: PriceRule] { [:] }
    public var vdsoPrices: [String: BenchmarkID] { [:] }
    public var figureKinds: [DerivedFigure.Kind] { [] }
    public var watchIDs: [BenchmarkID] { [] }
}

/// Every suite's descriptor, in the order their sections appear. A new suite adds one line.
public enum Suites {
    public static let all: [any SuiteDescriptor] = [
        SyscallDescriptor(), VDSODescriptor(), TimerDescriptor(), CtxSwitchDescriptor(), IndirectDescriptor(),
        SignalDescriptor(), LifecycleDescriptor(), MemoryDescriptor(), IODescriptor(),
    ]

    /// The descriptor of `suite`, if syscost knows it.
    public static func descriptor(_ suite: SuiteName) -> (any SuiteDescriptor)? { all.first { $0.suite == suite } }

    /// Every suite's derivations over one run's results.
    public static func derive(_ results: inout [BenchmarkResult], in run: RunContext) {
        for suite in all { suite.derive(&results, in: run) }
    }

    public static func sections(of report: RunReport) -> [ReportSection] {
        all.flatMap { $0.sections(of: report) }.filter { !$0.isEmpty }
    }

    /// The run's headline, every suite's lines in the registry's order; nil when no suite has one.
    public static func headline(of report: RunReport) -> ReportSection? {
        HeadlineRow.section(all.flatMap { $0.headline(of: report) }, rounds: report.results.map(\.samples.count).max() ?? 0,
                           counted: report.environment.counted)
    }

    /// Every kind of derived figure a report may carry: the suites', then the runner's A/B.
    public static var figureKinds: [DerivedFigure.Kind] { all.flatMap(\.figureKinds) + [.knobCost] }

    /// The fleet watch's short matrix: the privilege switch and the process and thread switch,
    /// each suite's part in the registry's order.
    public static var watchIDs: [BenchmarkID] { all.flatMap(\.watchIDs) }

    /// Whether `id` calls through libc (its suite says).
    public static func usesLibc(_ id: BenchmarkID) -> Bool { descriptor(id.suite)?.usesLibc(id) ?? false }

    /// Why a benchmark that touches a buffer allocated afresh in every run moves between runs:
    /// what it costs depends on which cache sets and TLB entries the buffer's pages map to.
    public static let bufferPlacement = "its buffer lands on other physical pages in every run (cache sets, TLB reach)"

    /// Why `id` varies between runs beyond its rounds (its suite says), or nil.
    public static func variesBetweenRuns(_ id: BenchmarkID) -> String? {
        descriptor(id.suite)?.variesBetweenRuns(id)
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
