import Foundation
@testable import SysCost
@testable import SysCostModel
@testable import SysCostAnalysis
@testable import SysCostRender
import Testing

@Suite struct StatisticsTests {
    @Test func medianAndQuantiles() {
        #expect(Statistics.median([5, 1, 3]) == 3)
        #expect(Statistics.median([4, 1, 3, 2]) == 2.5)
        let sorted = (1...11).map(Double.init)
        #expect(Statistics.quantile(sorted: sorted, 0.05) == 1.5)   // h = 0.5
        #expect(Statistics.quantile(sorted: sorted, 0.95) == 10.5)
        #expect(Statistics.quantile(sorted: [7], 0.95) == 7)
    }

    @Test func meanStddevAndCV() throws {
        let xs: [Double] = [2, 4, 4, 4, 5, 5, 7, 9]  // mean 5, sample variance 32/7
        let s = try #require(Summary(samples: xs))
        #expect(s.mean == 5)
        #expect(abs(s.stddev - (32.0 / 7).squareRoot()) < 1e-12)
        #expect(abs(s.cv - (32.0 / 7).squareRoot() / 5) < 1e-12)
        #expect(s.min == 2)
        #expect(Summary(samples: []) == nil)
        #expect(Summary(samples: [3])?.stddev == 0)
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
}
