import Foundation

/// Where `run --save` keeps reports: one directory per machine (its key: hostname and a digest
/// of its identity, so two machines named alike never share one) and kernel release, one file
/// per run named by its UTC start time, so `history results/` finds them all.
public enum SavedRuns {
    /// The folder of a machine's runs under one kernel: `<root>/<machine key>/<kernel release>`.
    public static func folder(for env: EnvironmentInfo, under root: String) -> String {
        [root, env.fingerprint.key.rawValue, component(env.kernel.release)]
            .reduce("") { $0.isEmpty ? $1 : ($0 as NSString).appendingPathComponent($1) }
    }

    public static func path(for report: RunReport, under root: String) -> String {
        let env = report.environment
        let started = ISO8601DateFormatter().date(from: report.config.startedAt) ?? Date()
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        var name = formatter.string(from: started)
        if report.environment.emulated == true { name += "-emulated" }
        return (folder(for: env, under: root) as NSString).appendingPathComponent(name + ".json")
    }

    /// A path component: no slashes, not empty, not a dot name.
    static func component(_ s: String) -> String {
        let cleaned = String(s.map { $0 == "/" || $0 == "\0" ? "_" : $0 })
        return cleaned.isEmpty || cleaned == "." || cleaned == ".." ? "unknown" : cleaned
    }
}
