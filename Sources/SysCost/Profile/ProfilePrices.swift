import Foundation
import SysCostModel
import SysCostSuites

/// Where a profile's prices come from: a saved run of this machine and kernel (given, or the
/// newest under the results folder), or a short measurement taken *before* the command — after
/// it, the command's tracepoint counters are still being released, and while any syscall
/// tracepoint is in use every system call takes the kernel's slow path (getppid priced at 148
/// instead of 121 ns here).
public enum ProfilePrices {
    /// A run to price from, and what to call it in the report.
    public struct Book: Sendable {
        public var source: String
        public var report: RunReport
    }

    /// `--prices FILE` (which must be this machine's and kernel's), else the newest saved run
    /// of this machine and kernel under `resultsDir`, else a short measurement now of every
    /// catalog entry that prices a single call, the ENOSYS floor and a same-CPU process switch.
    /// `onMeasure` is told before a measurement starts.
    public static func book(file: String?, resultsDir: String, environment: EnvironmentInfo, cpu: Int?,
                            onMeasure: (Int) -> Void = { _ in }) throws -> Book {
        if let file {
            let report = try ReportLoader.load(file)
            try requireSameSystem(report, as: environment, path: file)
            return Book(source: file, report: report)
        }
        if let (path, report) = newestSaved(under: resultsDir, for: environment) { return Book(source: path, report: report) }
        let wanted = Set(Pricing.needed(for: Array(Pricing.catalog.keys) + Array(Pricing.vdso.keys)))
        onMeasure(wanted.count)
        return Book(source: "measured just before the command", report: try measure(wanted, cpu: cpu))
    }

    static func requireSameSystem(_ report: RunReport, as environment: EnvironmentInfo, path: String) throws {
        var differences = report.environment.fingerprint.differences(from: environment.fingerprint)
            .map { "\($0.field): \($0.base) → \($0.new)" }
        if report.environment.kernel.release != environment.kernel.release {
            differences.append("kernel: \(report.environment.kernel.release) → \(environment.kernel.release)")
        }
        guard differences.isEmpty else {
            throw SysCostError.usage("\(path) was measured on another system (\(differences.joined(separator: "; "))): its prices are not this one's")
        }
    }

    /// The newest complete saved run of this machine and kernel under `root`, if there is one.
    public static func newestSaved(under root: String, for environment: EnvironmentInfo) -> (String, RunReport)? {
        let folder = SavedRuns.folder(for: environment, under: root)
        guard let files = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return nil }
        for file in files.filter({ $0.hasSuffix(".json") }).sorted().reversed() {
            let path = (folder as NSString).appendingPathComponent(file)
            if let report = try? ReportLoader.load(path), report.environment.emulated != true,
               (try? requireSameSystem(report, as: environment, path: path)) != nil, !report.interrupted {
                return (path, report)
            }
        }
        return nil
    }

    /// A short run of `wanted` (and the baselines they need).
    static func measure(_ wanted: Set<BenchmarkID>, cpu: Int?) throws -> RunReport {
        let all = Catalog.all()
        let plan = RunPlan(cpu: cpu, repetitions: 9, minBatchTimeMs: 2, warmupMs: 100)
        return try Runner(plan: plan).run(Catalog.withBaselines(all.filter { wanted.contains($0.id) }, from: all))
    }
}
