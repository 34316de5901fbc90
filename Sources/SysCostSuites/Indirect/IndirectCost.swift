import SysCostModel

/// What one syscall in the walk cost beyond the walk itself and its own hot-loop cost, as the
/// indirect suite derives it: in a report, `walk-baseline`, `direct-cost` and `indirect-cost`.
public struct IndirectCost: Equatable, Sendable {
    /// The walk without the syscall, per iteration.
    public var baselineNs: Double
    /// The syscall alone in a hot loop (syscall suite).
    public var directNs: Double
    /// (walk with syscall) − baseline − direct: the syscall's indirect cost.
    public var extraNs: Double
    /// The same, round by round, with its interval (nil where the rounds do not pair).
    public var extra: PairedEstimate?

    public init(baselineNs: Double, directNs: Double, extraNs: Double, extra: PairedEstimate? = nil) {
        self.baselineNs = baselineNs; self.directNs = directNs; self.extraNs = extraNs; self.extra = extra
    }

    /// As a report keeps it.
    public var figures: [DerivedFigure] {
        [DerivedFigure(.walkBaseline, value: baselineNs, unit: .nsPerOp), DerivedFigure(.directCost, value: directNs, unit: .nsPerOp),
         DerivedFigure(.indirectCost, value: extraNs, paired: extra, unit: .nsPerOp)]
    }

    /// Read back from a result's figures; nil where it has none.
    public init?(_ result: BenchmarkResult) {
        guard let baseline = result.figure(.walkBaseline), let direct = result.figure(.directCost),
              let extra = result.figure(.indirectCost) else { return nil }
        self.init(baselineNs: baseline.value, directNs: direct.value, extraNs: extra.value, extra: extra.pairedEstimate)
    }
}

extension BenchmarkResult {
    /// A walk's indirect cost (indirect suite).
    public var indirect: IndirectCost? { IndirectCost(self) }
}
