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

    /// Makes and checks the folder a run of `env` is saved in, before anything is measured: it
    /// must stay inside `root` (`Tree`: no link out of the tree is written through), and a
    /// file must be creatable there. Throws `usage` naming the cause (exit 2).
    public static func prepare(for env: EnvironmentInfo, under root: String) throws {
        let folder = folder(for: env, under: root), tree = Tree(root)
        try tree.checkWritable(folder)
        try ResultWriter.prepare(directory: folder)
        try tree.checkWritable(folder)
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

    /// Files `report` (as `data`) under `root` at `path(for:under:)`, or, when a run already has
    /// that name (runs in the same second, in one process or several at once), at the first free
    /// `<name>-2.json`, `-3.json`, …; the name is taken atomically, never by replacing a run.
    /// A failure leaves the report in a fallback file, named in the error (exit 3).
    public static func save(_ data: Data, for report: RunReport, under root: String) throws -> String {
        let first = path(for: report, under: root)
        let folder = OutputFile.directory(of: first), stem = String(first.dropLast(5))
        do {
            let tree = Tree(root)
            try tree.checkWritable(folder)
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try tree.checkWritable(folder)
            for n in 1...maxSameName {
                let candidate = n == 1 ? first : "\(stem)-\(n).json"
                if try OutputFile.writeNew(data, to: candidate) { return candidate }
            }
            throw SysCostError.usage("\(maxSameName) runs already have the name \(first)")
        } catch {
            let why = (error as? SysCostError)?.description ?? (error as NSError).localizedDescription
            let fallback: String
            do { fallback = try ResultWriter.writeFallback(data, name: URL(fileURLWithPath: first).lastPathComponent) } catch {
                StandardError.write(data)
                throw SysCostError.notWritten("could not save \(first) (\(why)) nor a fallback file: the report is above, on standard error")
            }
            throw SysCostError.notWritten("could not save \(first) (\(why)): the report is in \(fallback)")
        }
    }

    /// Runs of one name (one second) before a save gives up.
    static let maxSameName = 1000

    /// A path component: no slashes, not empty, not a dot name.
    public static func component(_ s: String) -> String {
        let cleaned = String(s.map { $0 == "/" || $0 == "\0" ? "_" : $0 })
        return cleaned.isEmpty || cleaned == "." || cleaned == ".." ? "unknown" : cleaned
    }
}
