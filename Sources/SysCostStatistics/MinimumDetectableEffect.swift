import Foundation

/// The smallest relative change (either way) a two-sided test at `alpha` sees with
/// probability `power`, given the standard error of the log ratio: exp((z(1 − alpha/2) +
/// z(power)) · se) − 1; never less than `floor`, the change no run can attribute (the host's
/// own shift, one cycle per op).
public enum MinimumDetectableEffect {
    public static func of(logStandardError se: Double, alpha: Double = 0.05, power: Double = 0.8, floor: Double = 0) -> Double {
        let z = Normal.quantile(1 - alpha / 2) + Normal.quantile(power)
        return exp(max(z * se, log(1 + floor))) - 1
    }
}
