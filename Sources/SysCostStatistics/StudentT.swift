import Foundation

/// Student's t distribution: what a mean over few independent runs follows once its spread is
/// estimated from those runs. Its quantiles are wider than the normal's when the degrees of
/// freedom are few, which is exactly when an interval from z would claim more than 95 %.
public enum StudentT {
    /// P(T ≤ t) with `df` degrees of freedom (df > 0; infinite: the normal).
    public static func cdf(_ t: Double, df: Double) -> Double {
        guard t.isFinite else { return t > 0 ? 1 : 0 }
        guard df.isFinite, df < 1e7 else { return 0.5 * erfc(-t / 2.0.squareRoot()) }
        let tail = 0.5 * regularizedBeta(x: df / (df + t * t), a: df / 2, b: 0.5)
        return t > 0 ? 1 - tail : tail
    }

    /// The two-sided p-value of a statistic `t`: P(|T| ≥ |t|).
    public static func twoSidedP(_ t: Double, df: Double) -> Double { min(1, 2 * (1 - cdf(abs(t), df: df))) }

    /// The t with P(T ≤ t) = p (0 < p < 1), by bisection on the distribution function; p
    /// outside (0, 1) is clamped to the nearest representable level, never a crash.
    public static func quantile(_ p: Double, df: Double) -> Double {
        let p = min(max(p, 1e-300), 1 - 1e-16)
        guard df.isFinite, df < 1e7 else { return Normal.quantile(p) }
        if p == 0.5 { return 0 }
        if p < 0.5 { return -quantile(1 - p, df: df) }
        var low = 0.0, high = max(1.0, Normal.quantile(p))
        while cdf(high, df: df) < p && high < 1e300 { low = high; high *= 2 }
        for _ in 0..<200 {
            let mid = (low + high) / 2
            if cdf(mid, df: df) < p { low = mid } else { high = mid }
            if high - low <= 1e-12 * high { break }
        }
        return (low + high) / 2
    }

    /// I_x(a, b), the regularized incomplete beta function, by its continued fraction (Lentz).
    static func regularizedBeta(x: Double, a: Double, b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let gammas: Double = lgamma(a + b) - lgamma(a) - lgamma(b)
        let logFront: Double = gammas + a * log(x) + b * log(1 - x)
        // The fraction converges fast for x < (a + 1) / (a + b + 2); the symmetry gives the rest.
        if x > (a + 1) / (a + b + 2) { return 1 - regularizedBeta(x: 1 - x, a: b, b: a) }
        let tiny = 1e-300
        var c = 1.0, d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var f = d
        for m in 1...300 {
            let m = Double(m)
            let even = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
            d = 1 + even * d; if abs(d) < tiny { d = tiny }
            c = 1 + even / c; if abs(c) < tiny { c = tiny }
            d = 1 / d; f *= d * c
            let odd = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
            d = 1 + odd * d; if abs(d) < tiny { d = tiny }
            c = 1 + odd / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let step = d * c
            f *= step
            if abs(step - 1) < 1e-15 { break }
        }
        return exp(logFront) * f / a
    }
}
