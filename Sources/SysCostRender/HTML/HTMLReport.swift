import Foundation
import SysCostAnalysis
import SysCostModel

/// One self-contained HTML page: inline CSS and SVG, no scripts, nothing fetched.
public enum HTMLReport {
    /// `syscost report`: the newest run (by start time) in detail; with several runs, first
    /// each machine's history across kernels with a trend chart per benchmark.
    public static func page(_ reports: [(path: String, report: RunReport)]) -> String {
        let runs = reports.map { (path: $0.path, run: RunTimings($0.report)) }
        return page(runs, newest: newest(runs).map { reports[$0].report })
    }

    /// The same from every run's timings and the newest run whole (`newest(runs)` says which).
    public static func page(_ runs: [(path: String, run: RunTimings)], newest report: RunReport?) -> String {
        guard let report else { return document(title: "syscost report", body: "<p>No runs.</p>") }
        let env = report.environment
        var body = "<h1>syscost: what entering the kernel costs</h1>"
        body += "<p class=\"sub\">\(esc(env.kernel.release)) · \(esc(env.cpu.modelName)) · \(esc(env.hostname)) · started \(esc(report.config.startedAt))"
        body += runs.count > 1 ? " · the newest of \(runs.count) runs" : ""
        body += "</p>"
        if let clock = env.instructionClock {
            body += "<p class=\"warn\">This run counted guest instructions, not time (\(esc(clock.machineName))): exact and the same on any host, they price no instruction.</p>"
        } else if env.emulated == true { body += "<p class=\"warn\">This run's CPU was emulated (QEMU TCG): its timings are not the hardware's.</p>" }
        if report.interrupted { body += "<p class=\"warn\">Interrupted: results hold the repetitions taken before the signal.</p>" }
        if runs.count > 1 {
            body += History.perMachine(runs).map(historySections).joined()
        }
        body += runSections(report)
        return document(title: "syscost — \(env.kernel.release)", body: body)
    }

    /// Which run the page shows in detail: the newest by start time (then path).
    public static func newest(_ runs: [(path: String, run: RunTimings)]) -> Int? {
        runs.indices.max { (runs[$0].run.startedAt, runs[$0].path) < (runs[$1].run.startedAt, runs[$1].path) }
    }

    /// `syscost history --format html`.
    public static func history(_ histories: [History]) -> String {
        document(title: "syscost history", body: "<h1>syscost history</h1>" + histories.map(historySections).joined())
    }

    static func esc(_ s: String) -> String { SVG.escape(s) }

    static func document(title: String, body: String) -> String {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>\(esc(title))</title>
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
        <style>\(style)</style></head>
        <body>\(body)</body></html>

        """
    }

    static let style = """
        body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:1180px;color:#222;padding:0 16px}
        h1{font-size:24px;margin:0 0 4px}h2{font-size:19px;margin:30px 0 8px;border-bottom:1px solid #ddd;padding-bottom:3px}
        h3{font-size:15px;margin:18px 0 6px}.sub{color:#666;margin:0 0 14px}.warn{background:#fff3cd;padding:6px 10px;border-left:4px solid #e0a800}
        table{border-collapse:collapse;font-size:13px;margin:6px 0}td,th{border:1px solid #ddd;padding:3px 7px;text-align:left;vertical-align:top}
        td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}td:first-child{white-space:nowrap}
        th{background:#f4f4f4}
        .history{overflow:auto;max-height:75vh;max-width:100%;border:1px solid #ddd}.history table{margin:0}
        .history th{position:sticky;top:0;z-index:1;white-space:nowrap}.history td{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}.history td:first-child,.history th:first-child{position:sticky;left:0;background:#fff;z-index:2;text-align:left}
        .history th:first-child{background:#f4f4f4;z-index:3}
        .regression{color:#c0392b;font-weight:600}.improvement{color:#1e8449;font-weight:600}.inconclusive{color:#888}
        svg text{font:11px system-ui,sans-serif;fill:#333}svg .tick{fill:#666;font-size:10px}svg .value{font-size:10px;fill:#333}
        svg .grid{stroke:#e4e4e4;stroke-width:1}svg .whisker{stroke:#222;stroke-width:1.2}svg .dot{fill:#4e79a7;fill-opacity:.7}
        svg .median{stroke:#e15759;stroke-width:2}svg .hist{fill:#59a14f}svg .trend{fill:none;stroke:#4e79a7;stroke-width:1.5}
        svg.trends circle{fill:#4e79a7;stroke:#fff;stroke-width:1}svg.trends .regression{fill:#e15759}svg.trends .improvement{fill:#59a14f}
        svg.trends .emulated{fill:#fff;stroke:#4e79a7;stroke-width:2}svg.trends .emulated.regression{stroke:#e15759}svg .band{fill:#4e79a7;fill-opacity:.15;stroke:none}
        .cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(330px,1fr));gap:10px}
        .card{border:1px solid #e2e2e2;border-radius:4px;padding:6px 8px}.card .id{font:12px ui-monospace,monospace;word-break:break-all}
        .card .fig{font-size:11px;color:#555}.legend span{display:inline-block;margin-right:14px}
        .sw{display:inline-block;width:11px;height:11px;margin-right:4px;vertical-align:-1px}
        """

    // MARK: one run

    static func colour(_ kind: Chart.Kind) -> String {
        switch kind {
        case .privilegeSwitch: return "#4e79a7"
        case .noKernelEntry: return "#59a14f"
        case .processSwitch: return "#f28e2b"
        }
    }

    /// A document section: its chart (with a legend), sentences, table and notes.
    static func section(_ s: ReportSection, counted: Counted = .nanoseconds) -> String {
        var out = "<h2>\(esc(s.title))</h2>"
        if let chart = s.chart, !chart.bars.isEmpty {
            let kinds = Chart.Kind.allCases.filter { k in chart.bars.contains { $0.kind == k } }
            out += "<p class=\"legend\">" + kinds.map { "<span><i class=\"sw\" style=\"background:\(colour($0))\"></i>\(esc($0.legend))</span>" }.joined() + "</p>"
            out += SVG.barChart(chart.bars.map { SVG.Bar(label: $0.label, value: $0.value, low: $0.low, high: $0.high, color: colour($0.kind)) },
                                per: chart.per, counted: counted)
        }
        if !s.lines.isEmpty { out += "<ul>" + s.lines.map { "<li>\(esc($0))</li>" }.joined() + "</ul>" }
        if let t = s.pageTable ?? s.table { out += table(header: t.header, rows: t.rows, numeric: t.numericColumns) }
        if !s.notes.isEmpty { out += "<ul class=\"notes\">" + s.notes.map { "<li>\(esc($0))</li>" }.joined() + "</ul>" }
        return out
    }

    /// Half the median's interval, as a share of the median, above which a bar is drawn pale.
    static let impreciseHalfWidth = 0.05
    static func isImprecise(_ s: Summary) -> Bool {
        guard let half = s.halfWidth else { return true }
        return s.median > 0 && half > impreciseHalfWidth * s.median
    }

    static func runSections(_ report: RunReport) -> String {
        let doc = RunDocument(report)
        var out = doc.sections.map { section($0, counted: report.environment.counted) }.joined()
        var suites: [SuiteName] = []
        for r in report.results where !suites.contains(r.suite) { suites.append(r.suite) }
        for suite in suites {
            let results = report.results.filter { $0.suite == suite }
            let bars = results.compactMap { r -> SVG.Bar? in
                guard let s = r.summary else { return nil }
                let flags = RunDocument.flags(r)
                return SVG.Bar(label: r.id.description, value: s.median, low: s.ci95Low, high: s.ci95High,
                               color: Self.isImprecise(s) ? "#a0b9d6" : "#4e79a7", note: flags.isEmpty ? nil : flags.joined(separator: ","))
            }
            let perSwitch = results.contains { $0.unit.isPerSwitch }
            out += "<h2>Suite: \(esc(suite.rawValue))</h2>"
            out += "<p class=\"sub\">Median of \(report.config.repetitions) repetitions with its 95% interval; a paler bar's interval is wider than ±\(Int(Self.impreciseHalfWidth * 100))% of its median (hover a bar for its flags). \(perSwitch ? "Ping-pongs are per switch, baselines per op." : "")</p>"
            out += SVG.barChart(bars, per: perSwitch ? "op or switch" : "op", counted: report.environment.counted)
            let missing = results.filter { $0.summary == nil }
            if !missing.isEmpty {
                out += "<ul>" + missing.map { "<li>\(esc($0.id.description)): \(esc($0.status.rawValue))\($0.error.map { ": " + esc($0) } ?? "")</li>" }.joined() + "</ul>"
            }
        }
        if let latency = doc.latency { out += section(latency) }
        out += "<h2>Distributions</h2><p class=\"sub\">Each repetition's figure (dots) and the median (red); with <code>--distribution</code>, the per-call histogram.</p><div class=\"cards\">"
        for r in report.results {
            guard let s = r.summary else { continue }
            out += "<div class=\"card\"><div class=\"id\">\(esc(r.id.description))</div>"
            out += "<div class=\"fig\">median \(esc(Format.ns(s.median))) \(esc(r.unit.rawValue)), CV \(esc(Format.percent(s.cv))), \(r.samples.count) samples</div>"
            out += SVG.strip(samples: r.samples, median: s.median)
            if let d = r.distribution {
                out += "<div class=\"fig\">\(d.calls) single calls: p50 \(esc(Format.ns(d.p50))), p99 \(esc(Format.ns(d.p99))), max \(esc(Format.ns(d.max))) \(report.environment.counted.word); histogram up to p99.9</div>"
                out += SVG.histogram(d.buckets, upTo: d.p999, counted: report.environment.counted)
            }
            out += "</div>"
        }
        out += "</div>"
        out += "<h2>How it was measured</h2><ul>" + doc.notes.map { "<li>\(esc($0))</li>" }.joined() + "</ul>"
        out += "<h2>Environment</h2>" + table(header: ["", ""], rows: environmentRows(report), numeric: [])
        return out
    }

    static func environmentRows(_ report: RunReport) -> [[String]] {
        let e = report.environment, c = report.config
        var rows: [[String]] = [
            ["kernel", "\(e.kernel.release) — \(e.kernel.version)"], ["cmdline", e.kernel.cmdline],
            ["CPU", "\(e.cpu.modelName) (\(e.cpu.vendor), family \(e.cpu.family.map(String.init) ?? "?"), model \(e.cpu.model.map(String.init) ?? "?"), microcode \(e.cpu.microcode ?? "?"))"],
            ["CPUs", "online \(e.cpus.online), allowed \(e.cpus.allowed), SMT \(e.cpus.smt ?? "?")"],
            ["clocksource", e.clocksource ?? "?"],
            ["TSC", "\(e.tsc.flags.joined(separator: " "))\(e.tsc.frequencyHz.map { String(format: ", %.3f GHz", $0 / 1e9) } ?? "")"],
            ["hypervisor", EnvironmentDifference.hypervisor(e) + (e.emulated == true ? " — emulated CPU (TCG)" : "")],
            ["seccomp", EnvironmentDifference.seccomp(e)],
            ["perf_event_paranoid", e.perfEventParanoid.map(String.init) ?? "?"],
            ["glibc / Swift / syscost", "\(e.glibc) / \(e.swift) / \(EnvironmentDifference.version(e))"],
            ["run", "CPU \(c.cpu), \(c.repetitions) repetitions of ≥\(String(format: "%g", c.minBatchTimeMs)) ms batches, warm-up \(String(format: "%g", c.warmupMs)) ms, \(c.interleave ? "interleaved" : "one at a time"), \(String(format: "%.1f", c.durationSeconds)) s"],
        ]
        for (k, v) in e.vulnerabilities.sorted(by: { $0.key < $1.key }) { rows.append(["mitigation \(k)", v]) }
        return rows
    }

    static func table(header: [String], rows: [[String]], numeric: Set<Int>) -> String {
        var out = "<table>"
        if header.contains(where: { !$0.isEmpty }) { out += "<tr>" + header.map { "<th>\(esc($0))</th>" }.joined() + "</tr>" }
        for row in rows {
            out += "<tr>" + row.enumerated().map { i, cell in
                let cls = numeric.contains(i) ? " class=\"n\"" : ""
                return "<td\(cls)>\(esc(cell))</td>"
            }.joined() + "</tr>"
        }
        return out + "</table>"
    }

    // MARK: several runs

    static func historySections(_ h: History) -> String {
        let f = h.fingerprint
        var out = "<h2>Across runs on \(esc(h.machine.rawValue))</h2><p class=\"sub\">\(esc(f.cpuModelName)), \(f.logicalCPUs.map { "\($0) CPUs, " } ?? "")hypervisor \(esc(f.hypervisor))\(f.instructionClock.map { ", guest instructions under " + esc($0) + ", not time" } ?? (f.emulated ? ", emulated" : "")). Runs in kernel-version order. "
            + HistoryText.legend(h).map { esc($0.prefix(1).uppercased() + $0.dropFirst()) + "." }.joined(separator: " ") + "</p>"
        out += "<div class=\"history\"><table><tr><th>benchmark</th>" + h.runs.map { run in
            let (a, b) = HistoryText.headings(run)
            return "<th>\(esc(a))<br><small>\(esc(b))</small></th>"
        }.joined() + "</tr>"
        for row in h.rows {
            // Cells are right-aligned by the table's style; only a verdict worth a colour gets a class.
            out += "<tr><td>\(esc(row.id.description))</td>" + row.cells.map { c -> String in
                let cls = c?.verdict.flatMap { $0 == .unchanged ? nil : " class=\"\($0.rawValue)\"" } ?? ""
                return "<td\(cls)>\(esc(HistoryText.cell(c, precise: f.instructionClock != nil)))</td>"
            }.joined() + "</tr>"
        }
        out += "</table></div>"
        out += "<h2>Trends on \(esc(h.machine.rawValue))</h2><p class=\"legend\"><span><i class=\"sw\" style=\"background:#e15759\"></i>regression against the base</span><span><i class=\"sw\" style=\"background:#59a14f\"></i>improvement</span><span>hollow: emulated CPU</span><span>a value axis starts near its figures when all are above half the largest: read its ticks</span></p><div class=\"cards\">"
        var kernels: [String: Int] = [:]
        for run in h.runs { kernels[run.kernel, default: 0] += 1 }
        let repeated = Set(kernels.filter { $0.value > 1 }.keys)
        for row in h.rows where row.cells.compactMap({ $0 }).count > 1 {
            let points = zip(h.runs, row.cells).compactMap { run, cell -> SVG.TrendPoint? in
                guard let cell else { return nil }
                // The start time tells apart runs of one kernel; the release alone names the rest.
                let time = run.startedAt.count >= 16 && repeated.contains(run.kernel) ? String(run.startedAt.prefix(16)).replacingOccurrences(of: "T", with: " ") : ""
                return SVG.TrendPoint(label: run.kernel, detail: time, value: cell.value, low: cell.ci95Low, high: cell.ci95High,
                                      verdict: cell.verdict, emulated: run.emulated)
            }
            let flagged = points.contains { $0.verdict == .regression }
            out += "<div class=\"card\"><div class=\"id\(flagged ? " regression" : "")\">\(esc(row.id.description))\(flagged ? " — regression" : "")</div>"
            out += SVG.trend(points, per: row.unit.per, counted: row.unit.counted) + "</div>"
        }
        return out + "</div>"
    }
}
