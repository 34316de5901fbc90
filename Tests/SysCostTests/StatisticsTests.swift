import Foundation
@testable import SysCost
@testable import SysCostStatistics
@testable import SysCostModel
@testable import SysCostAnalysis
@testable import SysCostRender
import Testing
import SysCostTestSupport

/// A run's summary (the statistics themselves: SysCostStatisticsTests).
@Suite struct StatisticsTests {
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
}
