import ArgumentParser
import Foundation
import SysCostAnalysis
import SysCostModel
import SysCostStatistics
import SysCostRender

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare run reports: what changed, whether it is real, the smallest change each row could see, and how the environments differ.",
        usage: """
            syscost compare BASE NEW [options]
            syscost compare BASE1 BASE2 … [options] -- NEW1 NEW2 …
            """,
        discussion: """
            Each benchmark is judged on the undisturbed cost (the 10th percentile of its rounds; \
            --estimator median for the median). Its change comes with a 95% interval made of two \
            parts: the rounds (an exact bootstrap, or over runs then rounds when a side has several: \
            give them before and after --), and the host's phase between runs, which one run's \
            rounds cannot show. With one run a side that part comes from the spread learned on this \
            machine (`syscost calibrate`, or --spread); without one, every row is \
            inconclusive and says what would settle it. The MDE is the smallest change the \
            comparison would see at --alpha with --power among all its rows. Verdicts: regression \
            or improvement (significant for the family under --family, default Holm, and beyond the \
            threshold), unchanged (no change beyond the threshold, MDE within it), inconclusive \
            (with the runs a side that would settle it). The host canary is shown, never judged by. Runs of different \
            machines, or hardware against an emulated CPU, are refused unless --across-machines \
            (ratios, no verdicts); an interrupted run's rows get no verdict. Exit status: 0 no \
            regression and every benchmark compared; 1 at least one regression; 2 bad input; 4 not \
            a pass: a run was interrupted or has failed benchmarks, NEW lacks a benchmark BASE \
            measured (unless --allow-missing), or nothing was compared (a line on stderr names each \
            cause).
            """)

    /// Everything that is not an option, `--` kept: ArgumentParser allows no positional after
    /// an array of them, so the split at `--` is made here.
    @Argument(parsing: .allUnrecognized, help: "BASE NEW; or the base runs, --, the new runs (options go before --).")
    var runs: [String] = []

    @OptionGroup var judging: JudgingOptions

    @OptionGroup var selection: FilterOptions

    @Flag(name: .customLong("across-machines"), help: "Compare runs of different machines: ratios only, no verdicts (exit 0 unless incomplete).")
    var acrossMachines = false

    @Flag(name: .customLong("allow-missing"), help: "A benchmark the base measured and the new runs lack is no reason to fail (exit 4).")
    var allowMissing = false

    @OptionGroup var betweenRuns: BetweenRunOptions

    @OptionGroup var output: FormatOptions

    /// The two sides' files: BASE NEW, or BASE… -- NEW….
    func sides() throws -> (base: [String], new: [String]) {
        let split = runs.firstIndex(of: "--")
        let before = split.map { Array(runs[..<$0]) } ?? runs
        if let option = before.first(where: { $0.hasPrefix("-") && $0 != "-" }) {
            throw SysCostError.usage("unknown option '\(option)' (see syscost compare --help)")
        }
        guard let split else {
            guard runs.count == 2 else {
                throw SysCostError.usage(runs.count < 2
                    ? "compare needs two reports (BASE NEW), or several a side: BASE1 BASE2 -- NEW1 NEW2"
                    : "\(runs.count) reports without --: give the base runs, then --, then the new runs")
            }
            return ([runs[0]], [runs[1]])
        }
        let after = Array(runs[(split + 1)...])
        guard !before.isEmpty else { throw SysCostError.usage("no base runs before --") }
        guard !after.isEmpty else { throw SysCostError.usage("no new runs after --") }
        return (before, after)
    }

    func run() throws {
        let format = try output.resolve(Comparison.formats, default: .table)
        let (baseFiles, newFiles) = try sides()
        let filter = selection.filter
        func side(_ files: [String]) throws -> Comparison.Side {
            Comparison.Side(files.joined(separator: " + "), try files.map { filter.apply(try ReportLoader.load($0)) })
        }
        let base = try side(baseFiles)
        let counted = base.runs.first?.environment.counted ?? .nanoseconds
        let comparison = try Comparison.compare(
            base, try side(newFiles), thresholds: try judging.loadThresholds(for: counted), alpha: judging.alpha,
            power: judging.power, estimator: judging.estimator, scope: acrossMachines ? .acrossMachines : .sameMachine,
            allowMissing: allowMissing, spread: try base.runs.first.flatMap(betweenRuns.spread), family: betweenRuns.family)
        try CommandOutput.emit(comparison, as: format, to: nil, fallbackName: "comparison")
        try GateOutcome.conclude(comparison, command: "compare", against: "the base")
    }
}

/// `--only` and `--exclude`: which benchmarks a command looks at (or `run` measures).
struct FilterOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Only ids matching this glob (repeatable).", valueName: "pattern"))
    var only: [String] = []

    @Option(help: ArgumentHelp("Leave out ids matching this glob (repeatable).", valueName: "pattern"))
    var exclude: [String] = []

    var filter: ResultFilter { ResultFilter(only: only, exclude: exclude) }
}

/// What counts as a change: compare, history, baseline check.
struct JudgingOptions: ParsableArguments {
    @Option(help: "Smallest change that counts, in percent (\(FlagRanges.threshold.text); default \(Int(Comparison.defaultThreshold * 100)), or \(Comparison.instructionThreshold * 100) for runs that count guest instructions under qemu icount); with --thresholds the file decides.")
    var threshold: Double?

    @Option(help: ArgumentHelp(#"Per-benchmark thresholds: a JSON file {"default": 5, "rules": [{"pattern": "syscall/*", "percent": 5}]}; the first matching rule wins."#, valueName: "file"))
    var thresholds: String?

    @Option(help: "Significance level: 1 − the interval's coverage, and the family's false-alarm rate (\(FlagRanges.alpha.text); default \(Comparison.defaultAlpha)).")
    var alpha: Double = Comparison.defaultAlpha

    @Option(help: "The power the MDE is given at (\(FlagRanges.power.text); default \(Comparison.defaultPower)).")
    var power: Double = Comparison.defaultPower

    @Option(help: ArgumentHelp("The figure judged: undisturbed (the 10th percentile of the rounds, default) or median.", valueName: "estimator"))
    var estimator: Estimator = .undisturbed

    /// The thresholds file's, with --threshold as its default when the file gives none.
    /// `counted`: what the runs judged count; its default threshold applies without --threshold.
    func loadThresholds(for counted: Counted = .nanoseconds) throws -> Thresholds {
        guard let thresholds else { return Thresholds(default: threshold ?? Comparison.defaultThreshold(for: counted) * 100) }
        return try Thresholds.load(thresholds)
    }

    func validate() throws {
        try FlagRanges.threshold.check(threshold)
        try FlagRanges.alpha.check(alpha)
        try FlagRanges.power.check(power)
    }
}

extension Estimator: ExpressibleByArgument {}
extension FamilyControl: ExpressibleByArgument {}

/// What a comparison of one run a side cannot see in its own data: the machine's between-run
/// spread (compare, baseline check, watch), and how the family of rows is controlled.
struct BetweenRunOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The between-run spread to judge by (default: the one learned for the base's machine and kernel under --spread-dir).", valueName: "file"))
    var spread: String?

    @Option(name: .customLong("spread-dir"), help: ArgumentHelp("Where learned spreads are kept, beside the saved runs (default: results; `syscost doctor --calibrate` learns one).", valueName: "dir"))
    var spreadDir = "results"

    @Option(help: ArgumentHelp("How the rows' false alarms are controlled: \(FamilyControl.allCases.map(\.rawValue).joined(separator: " or ")) (default holm: at most --alpha chance of any false row in the whole comparison).", valueName: "control"))
    var family: FamilyControl = .holm

    /// The spread for `base`: --spread's file, else the learned one of its machine; nil when
    /// there is none. A broken file is an error (exit 2), never silently no spread.
    func spread(for base: RunReport) throws -> BetweenRunSpread? {
        if let spread { return try SpreadStore.load(spread) }
        return try SpreadStore(root: spreadDir).lookup(machine: base.environment.fingerprint.key, kernel: base.environment.kernel.release)
    }
}
