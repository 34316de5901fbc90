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
    /// each with its path. A path that does not exist, or a directory with no report, is an
    /// error naming it.
    public static func collect(_ paths: [String]) throws -> [(path: String, report: RunReport)] {
        guard !paths.isEmpty else { throw SysCostError.usage("no report files or directories given") }
        var out: [(String, RunReport)] = []
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
                out.append((full, try load(full)))
            }
        }
        return out
    }
}
