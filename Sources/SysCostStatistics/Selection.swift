import Foundation

/// Quantiles without sorting: the order statistics a quantile reads, found by selection in
/// O(n) expected time. A report is untrusted, so the selection bounds its own work: after
/// 2·log2(n) + 8 partitions that did not halve the range it sorts what is left, O(n log n)
/// at worst, never O(n²).
public enum Selection {
    /// `Statistics.quantile(sorted: xs.sorted(), q)`, computed by selection (reorders `xs`).
    public static func quantile(_ xs: inout [Double], _ q: Double) -> Double {
        precondition(!xs.isEmpty, "quantile of no data")
        let h = Double(xs.count - 1) * min(max(q, 0), 1)
        let lo = Int(h.rounded(.down))
        let low = select(&xs, lo)
        guard lo + 1 < xs.count, h > Double(lo) else { return low }
        // The next order statistic is the smallest of what lies above rank lo.
        var high = xs[lo + 1]
        for i in (lo + 2)..<xs.count where xs[i] < high { high = xs[i] }
        return low + (h - Double(lo)) * (high - low)
    }

    /// Puts the k-th smallest (0-based) at index k, the smaller before it and the larger after;
    /// returns it.
    @discardableResult
    public static func select(_ xs: inout [Double], _ k: Int) -> Double {
        precondition(k >= 0 && k < xs.count, "rank \(k) of \(xs.count)")
        var low = 0, high = xs.count - 1
        var budget = 2 * (Int.bitWidth - xs.count.leadingZeroBitCount) + 8
        while high > low {
            if budget == 0 {
                xs[low...high].sort()
                return xs[k]
            }
            let width = high - low
            // Median of three as the pivot, moved to high.
            let mid = low + width / 2
            if xs[mid] < xs[low] { xs.swapAt(mid, low) }
            if xs[high] < xs[low] { xs.swapAt(high, low) }
            if xs[mid] < xs[high] { xs.swapAt(mid, high) }
            let pivot = xs[high]
            // Three-way partition (ties grouped, so many equal figures cost nothing).
            var lt = low, i = low, gt = high
            while i <= gt {
                if xs[i] < pivot { xs.swapAt(lt, i); lt += 1; i += 1 } else if xs[i] > pivot { xs.swapAt(i, gt); gt -= 1 } else { i += 1 }
            }
            if k < lt { high = lt - 1 } else if k > gt { low = gt + 1 } else { return xs[k] }
            if high - low > width / 2 { budget -= 1 }
        }
        return xs[k]
    }
}
