/// How many resamples a bootstrap takes: the one policy of every resampling bootstrap here
/// (compare's over several runs a side, the paired figures of a run).
///
/// `paired` or `hierarchical` resamples (`requested`) while the rounds drawn per resample
/// number up to 20,000; above that, as many as 40 million drawn rounds allow, never fewer than 200. Each resample costs a draw and a
/// selection per round, so a report of 1,000,000 rounds stays within seconds instead of the
/// hours that 2,000 sorts of a million would take. With rounds that many the interval is
/// narrow anyway; its ends, read from 200 resamples, move by a few percent of its width from
/// one seed to another. One run a side in `compare` and `history` takes no resamples at all
/// (its law is exact: `QuantileBootstrap`).
public enum Resampling {
    /// A paired bootstrap's resamples (a run's derived figures: rounds resampled whole, every
    /// result of the round together): its interval is one of several in a section.
    public static let paired = 1_000
    /// The hierarchical bootstrap's (compare or history with several runs a side: runs, then
    /// rounds within runs): a verdict and its MDE are read from it.
    public static let hierarchical = 2_000

    public static func count(_ requested: Int, roundsPerResample rounds: Int) -> Int {
        guard rounds > 20_000 else { return requested }
        return min(requested, max(200, 40_000_000 / rounds))
    }
}
