/// One line of a run's headline: the figure a reader ran syscost for, its interval, and what
/// it means against another figure of the same run. Each suite gives its own lines
/// (`SuiteDescriptor.headline`); the document puts them first, above the per-benchmark table.
public struct HeadlineRow: Equatable, Sendable {
    /// What was measured, in words ("null syscall (raw getppid)").
    public var what: String
    /// The undisturbed cost, or a count, as a renderer prints it.
    public var figure: String
    /// Its 95% interval, or why it has none.
    public var interval: String
    /// A paired comparison with its own interval ("= 19.4× the null syscall (19.1…19.7)"), or "".
    public var meaning: String

    public init(_ what: String, figure: String, interval: String, meaning: String = "") {
        self.what = what; self.figure = figure; self.interval = interval; self.meaning = meaning
    }

    /// A result's undisturbed cost and its interval, in the result's unit ("ns", "ns/switch",
    /// "insn" under an instruction clock).
    public static func measured(_ what: String, _ result: BenchmarkResult, meaning: String = "") -> HeadlineRow {
        let unit = result.unit.isPerSwitch ? result.unit.rawValue : result.unit.counted.word
        return HeadlineRow(what, figure: Format.ns(result.undisturbed) + " " + unit, interval: Format.undisturbedCI(result.summary), meaning: meaning)
    }

    /// The headline as a section every renderer shows.
    public static func section(_ rows: [HeadlineRow], rounds: Int, counted: Counted = .nanoseconds) -> ReportSection? {
        guard !rows.isEmpty else { return nil }
        let table = Table(header: ["", "cost", "95% interval", "against another figure, paired by round"],
                          rows: rows.map { [$0.what, $0.figure, $0.interval, $0.meaning] }, numericColumns: [1, 2])
        return ReportSection(
            title: counted == .nanoseconds
                ? "What entering the kernel costs here: the undisturbed cost (p10 of \(rounds) rounds) and its 95% interval"
                : "What entering the kernel takes here, in guest instructions (qemu icount: exact, pricing no instruction): p10 of \(rounds) rounds and its 95% interval",
            table: table)
    }
}
