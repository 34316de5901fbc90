import Foundation
import SysCostModel

/// Where a profile's prices come from: a saved run of this machine and kernel (given, or the
/// newest under the results folder), or a short measurement of exactly what the command used.
public enum ProfilePrices {
    public enum Source: Sendable {
        /// `--prices FILE`: must be this machine's and this kernel's.
        case file(String)
        /// The newest run under this folder filed for this machine and kernel, else measure.
        case savedOrMeasured(resultsDir: String, cpu: Int?)
    }

    /// Prices for every call `profile` counted; throws when a given file is of another
    /// machine or kernel (its figures would price another system).
    public static func resolve(_ profile: ProfileReport, from source: Source) throws -> PriceList {
        let names = profile.syscalls.map(\.name)
        switch source {
        case .file(let path):
            let report = try ReportLoader.load(path)
            try requireSameSystem(report, as: profile, path: path)
            guard let prices = Pricing.prices(from: report, source: path, for: names) else {
                throw SysCostError.invalidReport("\(path) has no \(SyscallReporting.enosys) result: no ENOSYS floor to price kernel entries with")
            }
            return prices
        case .savedOrMeasured(let root, let cpu):
            if let (path, report) = newestSaved(under: root, for: profile),
               let prices = Pricing.prices(from: report, source: path, for: names) {
                return prices
            }
            return try measure(names, cpu: cpu)
        }
    }

    static func requireSameSystem(_ report: RunReport, as profile: ProfileReport, path: String) throws {
        var differences = report.environment.fingerprint.differences(from: profile.environment.fingerprint)
            .map { "\($0.field): \($0.base) → \($0.new)" }
        if report.environment.kernel.release != profile.environment.kernel.release {
            differences.append("kernel: \(report.environment.kernel.release) → \(profile.environment.kernel.release)")
        }
        guard differences.isEmpty else {
            throw SysCostError.usage("\(path) was measured on another system (\(differences.joined(separator: "; "))): its prices are not this one's")
        }
    }

    /// The newest saved run of this machine and kernel under `root`, if there is one.
    public static func newestSaved(under root: String, for profile: ProfileReport) -> (String, RunReport)? {
        let env = profile.environment
        let folder = [root, env.fingerprint.key.rawValue, env.kernel.release].joined(separator: "/")
        guard let files = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return nil }
        for file in files.filter({ $0.hasSuffix(".json") && !$0.contains("emulated") }).sorted().reversed() {
            let path = folder + "/" + file
            if let report = try? ReportLoader.load(path), (try? requireSameSystem(report, as: profile, path: path)) != nil,
               !report.interrupted {
                return (path, report)
            }
        }
        return nil
    }

    /// A short run of the catalog entries `names` need (plus the floor and a process switch).
    static func measure(_ names: [String], cpu: Int?) throws -> PriceList {
        let wanted = Set(Pricing.needed(for: names))
        let benchmarks = Catalog.all().filter { wanted.contains($0.id) }
        let needed = Set(benchmarks.flatMap { $0.relations.filter(\.isRequired).map(\.id) })
        let plan = RunPlan(cpu: cpu, repetitions: 15, minBatchTimeMs: 2, warmupMs: 50)
        let report = try Runner(plan: plan).run(Catalog.all().filter { wanted.contains($0.id) || needed.contains($0.id) })
        guard let prices = Pricing.prices(from: report, source: "measured now", for: names) else {
            throw SysCostError.system("measuring the ENOSYS floor", EIO)
        }
        return prices
    }
}
