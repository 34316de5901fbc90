import Foundation
@testable import SysCostStatistics
import Testing

/// The statistics home on its own: this target links nothing else of syscost.
@Suite struct StatisticsHomeTests {
    @Test func medianAndQuantiles() {
        #expect(Statistics.median([5, 1, 3]) == 3)
        #expect(Statistics.median([4, 1, 3, 2]) == 2.5)
        let sorted = (1...11).map(Double.init)
        #expect(Statistics.quantile(sorted: sorted, 0.05) == 1.5)   // h = 0.5
        #expect(Statistics.quantile(sorted: sorted, 0.95) == 10.5)
        #expect(Statistics.quantile(sorted: [7], 0.95) == 7)
    }

    /// For n = 15 the 95% interval of the median is [x(4), x(12)]: coverage 1 − 2·P(K ≤ 3) = 0.965,
    /// while [x(5), x(11)] covers only 0.882.
    @Test func medianConfidenceIntervalFromOrderStatistics() {
        let xs = (1...15).map(Double.init)
        #expect(Statistics.medianConfidenceInterval(sorted: xs) == 4...12)
        // n = 6: [x(1), x(6)] covers 1 − 2/64 = 0.969; [x(2), x(5)] only 0.781.
        #expect(Statistics.medianConfidenceInterval(sorted: (1...6).map(Double.init)) == 1...6)
        // Too few samples for 95% (n = 5: the whole range covers 0.9375): no interval, not min–max.
        #expect(Statistics.medianConfidenceInterval(sorted: [1, 2, 3]) == nil)
        #expect(Statistics.medianConfidenceInterval(sorted: (1...5).map(Double.init)) == nil)
        // n = 100: ranks 40 and 61 (the textbook table).
        #expect(Statistics.medianConfidenceInterval(sorted: (1...100).map(Double.init)) == 40...61)
    }

    @Test func madOutliers() {
        let xs: [Double] = [100, 101, 99, 100, 102, 98, 100, 150]
        #expect(Statistics.medianAbsoluteDeviation(xs) == 1)
        #expect(Statistics.madOutliers(xs) == [7])
        // Tight data: 100.6 is beyond 3 scaled MADs but within 1% of the median.
        #expect(Statistics.madOutliers([100, 100.1, 100, 99.9, 100, 100.6]).isEmpty)
        #expect(Statistics.madOutliers([100, 100.1, 100, 99.9, 100, 102]) == [5])
        #expect(Statistics.madOutliers([5, 5, 5, 5]).isEmpty)
    }

    /// The quantile law summed term by term is O(n²); the pruned sums give the same law (to
    /// the terms left out, each below 1e-13) in O(n) terms.
    @Test func thePrunedQuantileLawIsTheFullOne() {
        // Every term of the sum, none pruned; log k! from lgamma, tabled once per n.
        func fullTail(n: Int, a: Int, r: Int, lf: [Double]) -> Double {
            if r <= 0 || a == n { return 1 }
            if a == 0 || r > n { return 0 }
            let p = Double(a) / Double(n)
            var sum = 0.0
            for j in r...n {
                let logChoose: Double = lf[n] - lf[j] - lf[n - j]
                let logTerm: Double = logChoose + Double(j) * log(p) + Double(n - j) * log1p(-p)
                sum += exp(logTerm)
            }
            return sum
        }
        for n in [1, 2, 7, 15, 36, 200, 1000] {
            let logFactorial: [Double] = (0...n).map { Foundation.lgamma(Double($0) + 1) }
            for r in [1, n / 10 + 1, n / 2 + 1, n] {
                for a in 0...n {
                    let pruned = QuantileBootstrap.binomialTail(n: n, a: a, atLeast: r, logFactorial: logFactorial)
                    let full = min(1, fullTail(n: n, a: a, r: r, lf: logFactorial))
                    if abs(pruned - full) >= 1e-12 { Issue.record("n \(n) a \(a) r \(r): pruned \(pruned), full \(full)") }
                }
            }
            for q in [0.1, 0.5] {
                let law = QuantileBootstrap.law(n: n, quantile: q)
                #expect(abs(law.probability.reduce(0, +) - 1) < 1e-9, "n \(n) q \(q)")
            }
        }
        // A million rounds: the law carries probability on O(√n) pairs, not O(n²).
        let law = QuantileBootstrap.law(n: 1_000_000, quantile: 0.5)
        #expect(law.probability.count < 500_000 && abs(law.probability.reduce(0, +) - 1) < 1e-6)
    }

    /// Selection finds what sorting finds, on ties, runs and crafted orders alike.
    @Test func selectionIsTheSortedQuantile() {
        var rng = SplitMix64(seed: 7)
        let inputs: [[Double]] = [[5], [2, 1], Array(repeating: 3, count: 1000), (0..<1000).map(Double.init),
                                  (0..<1000).reversed().map(Double.init), (0..<4096).map { Double(($0 * 37) % 11) },
                                  (0..<777).map { _ in Double(rng.next() % 1000) / 7 }]
        for xs in inputs {
            for q in [0, 0.1, 0.5, 0.95, 1] {
                var copy = xs
                #expect(Selection.quantile(&copy, q) == Statistics.quantile(sorted: xs.sorted(), q))
            }
        }
    }

    /// The order-statistic interval sums the binomial only within 12 standard deviations of its
    /// mean: the ranks are those of the whole sum, at sizes where the window leaves most out.
    @Test func theWindowedIntervalHasTheFullSumsRanks() {
        func fullRanks(n: Int, q: Double) -> (Int, Int)? {
            var cdf = [Double](repeating: 0, count: n + 1), sum = 0.0
            let logN1: Double = Foundation.lgamma(Double(n + 1))
            for k in 0...n {
                let logChoose: Double = logN1 - Foundation.lgamma(Double(k + 1)) - Foundation.lgamma(Double(n - k + 1))
                let logPmf: Double = logChoose + Double(k) * log(q) + Double(n - k) * log(1 - q)
                sum += exp(logPmf)
                cdf[k] = sum
            }
            let tail = 0.025 + 1e-12
            var l = 0
            while l < n, cdf[l] <= tail { l += 1 }
            var u = n + 1
            while u > 1, 1 - cdf[u - 2] <= tail { u -= 1 }
            return l >= 1 && u <= n && l <= u ? (l, u) : nil
        }
        for n in [6, 36, 100, 5_000, 50_000] {
            let xs = (1...n).map(Double.init)
            for q in [0.1, 0.5] {
                let ranks = fullRanks(n: n, q: q)
                let interval = Statistics.quantileConfidenceInterval(sorted: xs, q)
                #expect(interval.map { (Int($0.lowerBound), Int($0.upperBound)) }.map { [$0.0, $0.1] } == ranks.map { [$0.0, $0.1] }, "n \(n) q \(q)")
            }
        }
    }
}
