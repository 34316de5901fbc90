import Foundation

/// Reads reports for compare, history and report, with errors that name the file.
public enum ReportLoader {
    /// One report file. Unreadable, malformed or of another schema: `invalidReport` (exit 2).
    public static func load(_ path: String) throws -> RunReport {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw SysCostError.invalidReport("\(path): no such file or directory")
        }
        guard !isDirectory.boolValue else { throw SysCostError.invalidReport("\(path): is a directory, expected a report file") }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw SysCostError.invalidReport("\(path): cannot read: \(error.localizedDescription)")
        }
        guard !data.isEmpty else { throw SysCostError.invalidReport("\(path): empty file") }
        do { return try RunReport.decode(data) } catch let error as SysCostError {
            throw SysCostError.invalidReport("\(path): \(error)")
        }
    }

    /// Every report under `paths` (files, or directories searched for *.json recursively),
    /// each with its path. A file named on its own must be a run report (an error naming it,
    /// exit 2); in a directory, a JSON file that is not a run report (another schema, or none:
    /// a `history --format json` output) or a corrupt one is skipped, and `onSkip` gets one line
    /// naming it and why. A path that does not exist, or directories that hold no valid report,
    /// are errors naming them.
    public static func collect(_ paths: [String], onSkip: (String) -> Void = { _ in }) throws -> [(path: String, report: RunReport)] {
        guard !paths.isEmpty else { throw SysCostError.usage("no report files or directories given") }
        var out: [(String, RunReport)] = []
        var skipped = 0
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw SysCostError.invalidReport("\(path): no such file or directory")
            }
            guard isDirectory.boolValue else { out.append((path, try load(path))); continue }
            let files = (FileManager.default.enumerator(atPath: path)?.allObjects as? [String] ?? [])
                .filter { $0.hasSuffix(".json") }.sorted()
            guard !files.isEmpty else { throw SysCostError.invalidReport("\(path): no report (*.json) in this directory") }
            for file in files {
                let full = (path as NSString).appendingPathComponent(file)
                do {
                    out.append((full, try load(full)))
                } catch let error as SysCostError {
                    skipped += 1
                    onSkip("skipped \(error)")
                }
            }
        }
        guard !out.isEmpty else {
            throw SysCostError.invalidReport("no valid run report in \(paths.joined(separator: ", ")) (\(skipped) file\(skipped == 1 ? "" : "s") skipped)")
        }
        return out
    }
}
