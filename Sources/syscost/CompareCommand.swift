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
            (significant and beyond --threshold), unchanged, noisy (not significant and a CV above \
            the threshold). Exit status: 0 no regression, 1 at least one regression, 2 bad input.
            """)

    @Argument(help: "The base report (JSON).") var base: String
    @Argument(help: "The new report (JSON).") var new: String

    @OptionGroup var significance: SignificanceOptions

    @OptionGroup var output: FormatOptions

    func run() throws {
        let comparison = try Comparison.compare(base: try ReportLoader.load(base), new: try ReportLoader.load(new),
                                                baseName: base, newName: new, threshold: significance.fraction, alpha: significance.alpha)
        let format = try output.resolve([.table, .markdown, .json], default: .table)
        print(try ComparisonFormat(rawValue: format.rawValue)!.export(comparison), terminator: "")
        if !comparison.regressions.isEmpty { throw ExitCode.failure }
    }
}

/// What counts as a change, for compare and history.
struct SignificanceOptions: ParsableArguments {
    @Option(help: "Smallest change that counts, in percent (default \(Int(Comparison.defaultThreshold * 100))).")
    var threshold: Double = Comparison.defaultThreshold * 100

    @Option(help: "Significance level of the U test (default \(Comparison.defaultAlpha)).")
    var alpha: Double = Comparison.defaultAlpha

    var fraction: Double { threshold / 100 }

    func validate() throws {
        guard threshold >= 0, threshold < 1000 else { throw ValidationError("--threshold is a percentage from 0 to 1000 (got \(threshold))") }
        guard alpha > 0, alpha < 1 else { throw ValidationError("--alpha must be between 0 and 1 (got \(alpha))") }
    }
}
