import Foundation
import SysCostAnalysis
import SysCostModel

/// Inline SVG charts for the HTML report: plain shapes and text, no scripts, no fonts or
/// images fetched from anywhere.
enum SVG {
    /// Text and attribute values: markup escaped, control characters shown as escapes.
    static func escape(_ s: String) -> String {
        Escape.terminal(s, keepingNewlines: true).replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "'", with: "&#39;")
    }

    static func f(_ x: Double) -> String { String(format: "%.1f", x) }

    /// A value axis: logarithmic when the values span more than 30×, else linear from 0.
    struct Scale {
        let lo: Double, hi: Double, log: Bool, x0: Double, x1: Double

        init(values: [Double], x0: Double, x1: Double) {
            let positive = values.filter { $0 > 0 && $0.isFinite }
            let minV = positive.min() ?? 1, maxV = positive.max() ?? 1
            self.x0 = x0; self.x1 = x1
            if maxV / minV > 30 {
                log = true
                lo = pow(10, floor(log10(minV))); hi = pow(10, ceil(log10(maxV)))
            } else {
                log = false
                lo = 0; hi = Scale.nice(maxV * 1.05)
            }
        }

        static func nice(_ x: Double) -> Double {
            guard x > 0 else { return 1 }
            let p = pow(10, floor(log10(x)))
            for m in [1.0, 2, 2.5, 5, 10] where m * p >= x { return m * p }
            return 10 * p
        }

        func x(_ v: Double) -> Double {
            let t = log ? (log10(max(v, lo)) - log10(lo)) / (log10(hi) - log10(lo)) : (v - lo) / (hi - lo)
            return x0 + max(0, min(1, t)) * (x1 - x0)
        }

        var ticks: [Double] {
            if log { return stride(from: log10(lo), through: log10(hi), by: 1).map { pow(10, $0) } }
            return (0...5).map { lo + (hi - lo) * Double($0) / 5 }
        }
    }

    /// One unit for every tick of an axis, chosen by its largest tick: ns, µs or ms; or, for
    /// guest instructions, insn, thousands or millions of them.
    struct AxisUnit {
        let divisor: Double, name: String
        init(largest: Double, counted: Counted = .nanoseconds) {
            let names = counted == .nanoseconds ? ["ns", "µs", "ms"] : ["insn", "k insn", "M insn"]
            if largest >= 10_000_000 { divisor = 1_000_000; name = names[2] }
            else if largest >= 10_000 { divisor = 1000; name = names[1] }
            else { divisor = 1; name = names[0] }
        }
        func label(_ v: Double) -> String { String(format: "%g", v / divisor) }
        /// "µs per op": this axis's unit per what the figures count.
        func title(per: String) -> String { name + " per " + per }
    }

    struct Bar {
        var label: String
        var value: Double
        var low: Double?
        var high: Double?
        var color = "#4e79a7"
        var note: String?
    }

    /// Horizontal bars with 95% whiskers, one row per bar, the value written at its end.
    static func barChart(_ bars: [Bar], per: String, counted: Counted = .nanoseconds, width: Double = 960) -> String {
        guard !bars.isEmpty else { return "" }
        let labelWidth = min(420, Double(bars.map(\.label.count).max() ?? 10) * 6.6 + 12)
        // Room at the right for the longest value written after its bar or whisker.
        let valueWidth = Double(bars.map { Format.ns($0.value).count }.max() ?? 6) * 6.4 + 14
        let row = 18.0, top = 22.0
        let height = top + Double(bars.count) * row + 24
        let scale = Scale(values: bars.flatMap { [$0.value, $0.high ?? $0.value] }, x0: labelWidth, x1: width - valueWidth)
        let axis = AxisUnit(largest: scale.ticks.last ?? scale.hi, counted: counted)
        var out = "<svg class=\"chart\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\">"
        for t in scale.ticks {
            let x = scale.x(t)
            out += "<line x1=\"\(f(x))\" y1=\"\(f(top - 4))\" x2=\"\(f(x))\" y2=\"\(f(height - 20))\" class=\"grid\"/>"
            out += "<text x=\"\(f(x))\" y=\"\(f(height - 6))\" class=\"tick\" text-anchor=\"middle\">\(escape(axis.label(t)))</text>"
        }
        out += "<text x=\"\(f(width - 4))\" y=\"12\" class=\"tick\" text-anchor=\"end\">\(escape(axis.title(per: per)))\(scale.log ? " (log scale)" : "")</text>"
        for (i, bar) in bars.enumerated() {
            let y = top + Double(i) * row
            out += "<text x=\"\(f(labelWidth - 6))\" y=\"\(f(y + 12))\" class=\"label\" text-anchor=\"end\">\(escape(bar.label))</text>"
            let x = scale.x(bar.value)
            out += "<rect x=\"\(f(scale.x0))\" y=\"\(f(y + 3))\" width=\"\(f(max(1, x - scale.x0)))\" height=\"\(f(row - 6))\" fill=\"\(bar.color)\"><title>\(escape(bar.label)): \(escape(Format.ns(bar.value))) \(counted.word) per \(escape(per))\(bar.note.map { " — " + escape($0) } ?? "")</title></rect>"
            var end = x
            if let lo = bar.low, let hi = bar.high {
                let a = scale.x(lo), b = scale.x(hi), mid = y + row / 2
                out += "<line x1=\"\(f(a))\" y1=\"\(f(mid))\" x2=\"\(f(b))\" y2=\"\(f(mid))\" class=\"whisker\"/>"
                out += "<line x1=\"\(f(a))\" y1=\"\(f(mid - 4))\" x2=\"\(f(a))\" y2=\"\(f(mid + 4))\" class=\"whisker\"/>"
                out += "<line x1=\"\(f(b))\" y1=\"\(f(mid - 4))\" x2=\"\(f(b))\" y2=\"\(f(mid + 4))\" class=\"whisker\"/>"
                end = max(end, b)
            }
            out += "<text x=\"\(f(end + 5))\" y=\"\(f(y + 12))\" class=\"value\">\(escape(Format.ns(bar.value)))</text>"
        }
        return out + "</svg>"
    }

    /// One result's repetition samples as dots on a line, the median as a tick.
    static func strip(samples: [Double], median: Double, width: Double = 300, height: Double = 34) -> String {
        guard let lo = samples.min(), let hi = samples.max() else { return "" }
        let pad = max((hi - lo) * 0.1, median * 0.01)
        let a = lo - pad, b = hi + pad
        func x(_ v: Double) -> Double { 8 + (v - a) / (b - a) * (width - 16) }
        var out = "<svg width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\">"
        out += "<line x1=\"8\" y1=\"14\" x2=\"\(f(width - 8))\" y2=\"14\" class=\"grid\"/>"
        // Past 512 rounds, a dot is drawn once per tenth of a pixel: the same picture, in at most
        // ~2,800 dots however many rounds a report holds.
        var drawn: Set<String> = []
        for s in samples {
            let cx = f(x(s))
            guard samples.count <= 512 || drawn.insert(cx).inserted else { continue }
            out += "<circle cx=\"\(cx)\" cy=\"14\" r=\"3\" class=\"dot\"/>"
        }
        out += "<line x1=\"\(f(x(median)))\" y1=\"5\" x2=\"\(f(x(median)))\" y2=\"23\" class=\"median\"/>"
        out += "<text x=\"8\" y=\"32\" class=\"tick\">\(escape(Format.ns(lo)))</text>"
        out += "<text x=\"\(f(width - 8))\" y=\"32\" class=\"tick\" text-anchor=\"end\">\(escape(Format.ns(hi)))</text>"
        return out + "</svg>"
    }

    /// A per-call latency histogram from HDR buckets (calls per bucket, log-spaced upper
    /// bounds), up to `upTo` (the p99.9: the rare slow calls would squash the rest).
    static func histogram(_ buckets: [Distribution.Bucket], upTo: Double, counted: Counted = .nanoseconds, width: Double = 300, height: Double = 90) -> String {
        let used = buckets.filter { $0.count > 0 && $0.upToNs <= upTo * 1.05 }
        guard let first = used.first, let last = used.last, let maxCount = used.map(\.count).max() else { return "" }
        let barWidth = (width - 16) / Double(used.count)
        var out = "<svg width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\">"
        for (i, b) in used.enumerated() {
            let h = max(1, Double(b.count) / Double(maxCount) * (height - 24))
            out += "<rect x=\"\(f(8 + Double(i) * barWidth))\" y=\"\(f(height - 16 - h))\" width=\"\(f(max(1, barWidth - 1)))\" height=\"\(f(h))\" class=\"hist\"><title>≤ \(escape(Format.ns(b.upToNs))) \(counted.word): \(b.count) calls</title></rect>"
        }
        out += "<text x=\"8\" y=\"\(f(height - 3))\" class=\"tick\">\(escape(Format.ns(first.upToNs))) \(counted.word)</text>"
        out += "<text x=\"\(f(width - 8))\" y=\"\(f(height - 3))\" class=\"tick\" text-anchor=\"end\">\(escape(Format.ns(last.upToNs))) \(counted.word)</text>"
        return out + "</svg>"
    }

    struct TrendPoint {
        /// Under the point (the kernel release, whole); the tooltip adds `detail`.
        var label: String
        var detail = ""
        var value: Double
        var low: Double?
        var high: Double?
        var verdict: Comparison.Verdict?
        var emulated: Bool
    }

    /// A benchmark's figure across runs (kernels in version order) with its 95% interval; a
    /// regression is a red point, an improvement a green one, an emulated run a hollow one.
    /// Every point's tooltip holds the whole release; the axis labels stand upright under
    /// their points, at most one per 24 px, so hundreds of runs stay legible. The value axis
    /// starts at zero unless every figure is above half the largest: then it starts at a round
    /// number below the smallest, so a drift of a few percent shows (its ticks say where). Past
    /// `bandAbove` points the intervals are one shaded band instead of a whisker each (and
    /// the points shrink), which keeps a 100-run page near 2 MB.
    static func trend(_ points: [TrendPoint], per: String, counted: Counted = .nanoseconds, width: Double = 460, height: Double = 300) -> String {
        guard !points.isEmpty else { return "" }
        let values = points.flatMap { [$0.value, $0.low ?? $0.value, $0.high ?? $0.value] }
        let top = values.max() ?? 1
        let bottom = values.min() ?? 0
        // Round ticks: a step of 1, 2, 2.5 or 5 × 10ᵏ giving about four intervals.
        let from = bottom > top / 2 ? bottom * 0.98 : 0
        let step = Scale.nice(max(top * 1.02 - from, top * 1e-6) / 4)
        let lo = (from / step).rounded(.down) * step
        let hi = max((top * 1.02 / step).rounded(.up) * step, lo + step)
        let ticks = stride(from: lo, through: hi + step / 2, by: step).map { $0 }
        let left = 60.0, right = width - 24, plotTop = 18.0, plotBottom = height - 160
        let axis = AxisUnit(largest: hi, counted: counted)
        let every = max(1, Int((Double(points.count) * 24 / (right - left)).rounded(.up)))
        let dense = points.count > bandAbove
        func y(_ v: Double) -> Double { plotBottom - (v - lo) / (hi - lo) * (plotBottom - plotTop) }
        func x(_ i: Int) -> Double { points.count == 1 ? (left + right) / 2 : left + Double(i) / Double(points.count - 1) * (right - left) }
        var out = "<svg class=\"trends\" width=\"100%\" viewBox=\"0 0 \(Int(width)) \(Int(height))\">"
        for v in ticks {
            out += "<line x1=\"\(f(left))\" y1=\"\(f(y(v)))\" x2=\"\(f(right))\" y2=\"\(f(y(v)))\" class=\"grid\"/>"
            out += "<text x=\"\(f(left - 4))\" y=\"\(f(y(v) + 4))\" class=\"tick\" text-anchor=\"end\">\(escape(axis.label(v)))</text>"
        }
        out += "<text x=\"\(f(right))\" y=\"\(f(plotTop - 6))\" class=\"tick\" text-anchor=\"end\">\(escape(axis.title(per: per)))</text>"
        if dense { out += bands(points, x: x, y: y) }
        // Lines join runs of the same kind only: an emulated CPU's figures do not continue the hardware's.
        let path = points.indices.map { i in
            "\(i > 0 && points[i - 1].emulated == points[i].emulated ? "L" : "M")\(f(x(i))),\(f(y(points[i].value)))"
        }.joined(separator: " ")
        out += "<path d=\"\(path)\" class=\"trend\"/>"
        for (i, p) in points.enumerated() {
            if !dense, let lo = p.low, let hi = p.high {
                out += "<line x1=\"\(f(x(i)))\" y1=\"\(f(y(lo)))\" x2=\"\(f(x(i)))\" y2=\"\(f(y(hi)))\" class=\"whisker\"/>"
            }
            let classes = [p.verdict == .regression ? "regression" : p.verdict == .improvement ? "improvement" : nil,
                           p.emulated ? "emulated" : nil].compactMap { $0 }
            let verdict = p.verdict.map { $0 == .regression || $0 == .improvement ? " (\($0.rawValue))" : "" } ?? ""
            out += "<circle cx=\"\(f(x(i)))\" cy=\"\(f(y(p.value)))\" r=\"\(dense ? 2.5 : 4.5)\"\(classes.isEmpty ? "" : " class=\"\(classes.joined(separator: " "))\"")>"
                + "<title>\(escape(p.label))\(p.detail.isEmpty ? "" : " " + escape(p.detail)): \(escape(Format.ns(p.value)))\(verdict)</title></circle>"
        }
        let ly = plotBottom + 8
        out += "<g class=\"tick\" text-anchor=\"end\">"
        // Counted back from the newest, which always has its label.
        for (i, p) in points.enumerated() where (points.count - 1 - i) % every == 0 {
            out += "<text x=\"\(f(x(i) + 3))\" y=\"\(f(ly))\" transform=\"rotate(-90 \(f(x(i) + 3)) \(f(ly)))\">\(escape(p.label))</text>"
        }
        return out + "</g></svg>"
    }

    /// A dense trend's intervals as bands: one closed path per stretch of points that have one.
    /// A band ends at a point without an interval, and where hardware gives way to emulation.
    static func bands(_ points: [TrendPoint], x: (Int) -> Double, y: (Double) -> Double) -> String {
        var out = ""
        var stretch: [Int] = []
        func flush() {
            if stretch.count > 1 {
                let upper = stretch.compactMap { i in points[i].high.map { "\(f(x(i))),\(f(y($0)))" } }
                let lower = stretch.reversed().compactMap { i in points[i].low.map { "\(f(x(i))),\(f(y($0)))" } }
                out += "<path d=\"M" + (upper + lower).joined(separator: " L") + " Z\" class=\"band\"/>"
            }
            stretch = []
        }
        for i in points.indices {
            let hasInterval = points[i].low != nil && points[i].high != nil
            if !hasInterval || stretch.last.map({ points[$0].emulated != points[i].emulated }) == true { flush() }
            if hasInterval { stretch.append(i) }
        }
        flush()
        return out
    }

    /// Points past which a trend draws its intervals as a band.
    static let bandAbove = 40
}
