import ArgumentParser
import Foundation
import SysCostAnalysis
import SysCostModel
import SysCostRender

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare two run reports: what changed, whether it is real, and how the environments differ.",
        discussion: """
            For each benchmark in both: the ratio of medians with a 95% bootstrap interval and a \
            Mann-Whitney U p-value over the repetition samples. Verdicts: regression, improvement \
            (significant and beyond the threshold), unchanged, noisy (not significant and a CV above \
            the threshold). Runs of different machines, or hardware against an emulated CPU, are \
            refused unless --across-machines (ratios, no verdicts); an interrupted run's rows get no \
            verdict. Exit status: 0 no regression, 1 at least one regression, 2 bad input.
            """)

    @Argument(help: "The base report (JSON).")
    var base: String

    @Argument(help: "The new report (JSON).")
    var new: String

    @OptionGroup var judging: JudgingOptions

    @OptionGroup var selection: FilterOptions

    @Flag(name: .customLong("across-machines"), help: "Compare runs of different machines: ratios only, no verdicts, exit 0.")
    var acrossMachines = false

    @OptionGroup var output: FormatOptions

    func run() throws {
        let format = try output.resolve([.table, .markdown, .json], default: .table)
        let comparison = try Comparison.compare(
            base: selection.filter.apply(try ReportLoader.load(base)), new: selection.filter.apply(try ReportLoader.load(new)),
            baseName: base, newName: new, thresholds: try judging.loadThresholds(), alpha: judging.alpha,
            scope: acrossMachines ? .acrossMachines : .sameMachine)
        print(try ComparisonFormat(rawValue: format.rawValue)!.export(comparison), terminator: "")
        if !comparison.regressions.isEmpty { throw ExitCode.failure }
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
    @Option(help: "Smallest change that counts, in percent (default \(Int(Comparison.defaultThreshold * 100))); with --thresholds the file decides.")
    var threshold: Double = Comparison.defaultThreshold * 100

    @Option(help: ArgumentHelp(#"Per-benchmark thresholds: a JSON file {"default": 5, "rules": [{"pattern": "syscall/*", "percent": 5}]}; the first matching rule wins."#, valueName: "file"))
    var thresholds: String?

    @Option(help: "Significance level of the U test (default \(Comparison.defaultAlpha)).")
    var alpha: Double = Comparison.defaultAlpha

    /// The thresholds file's, with --threshold as its default when the file gives none.
    func loadThresholds() throws -> Thresholds {
        guard let thresholds else { return Thresholds(default: threshold) }
        return try Thresholds.load(thresholds)
    }

    func validate() throws {
        guard threshold >= 0, threshold < 1000 else { throw ValidationError("--threshold is a percentage from 0 to 1000 (got \(threshold))") }
        guard alpha > 0, alpha < 1 else { throw ValidationError("--alpha must be between 0 and 1 (got \(alpha))") }
    }
}
