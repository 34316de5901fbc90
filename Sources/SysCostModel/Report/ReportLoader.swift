import Foundation

/// Reads reports for compare, history and report, with errors that name the file.
public enum ReportLoader {
    /// One report file. Unreadable, malformed or of another schema: `invalidReport` (exit 2).
    public static func load(_ path: String, detail: RunReport.Detail = .full) throws -> RunReport {
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
        do { return try RunReport.decode(data, detail: detail) } catch let error as SysCostError {
            throw SysCostError.invalidReport("\(path): \(error)")
        }
    }

    /// Every report under `paths` (files, or directories searched for *.json recursively),
    /// each with its path, read to `detail`, on every CPU at once. A file named on its own must
    /// be a run report (an error naming it, exit 2); in a directory, a JSON file that is not a
    /// run report (another schema, or none: a `history --format json` output) or a corrupt one
    /// is skipped, and `onSkip` gets one line naming it and why. A path that does not exist,
    /// or directories that hold no valid report, are errors naming them. `onProgress` hears
    /// (files read, files) as they are read, from any thread.
    public static func collect(_ paths: [String], detail: RunReport.Detail = .full, onSkip: (String) -> Void = { _ in },
                               onProgress: @Sendable (Int, Int) -> Void = { _, _ in }) throws -> [(path: String, report: RunReport)] {
        try collect(paths, detail: detail, onSkip: onSkip, onProgress: onProgress, keeping: { $0 })
            .map { (path: $0.path, report: $0.kept) }
    }

    /// The same, keeping of each report only what `keeping` makes of it, made as the file is
    /// read (so the whole report is freed at once: a history of hundreds of runs keeps their
    /// `RunTimings`, not their reports).
    public static func collect<Kept: Sendable>(_ paths: [String], detail: RunReport.Detail = .full, onSkip: (String) -> Void = { _ in },
                                               onProgress: @Sendable (Int, Int) -> Void = { _, _ in },
                                               keeping: @escaping @Sendable (RunReport) -> Kept) throws -> [(path: String, kept: Kept)] {
        guard !paths.isEmpty else { throw SysCostError.usage("no report files or directories given") }
        // Which files, and whether each was named on its own.
        var files: [(path: String, named: Bool)] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw SysCostError.invalidReport("\(path): no such file or directory")
            }
            guard isDirectory.boolValue else { files.append((path, true)); continue }
            let found = (FileManager.default.enumerator(atPath: path)?.allObjects as? [String] ?? [])
                .filter { $0.hasSuffix(".json") }.sorted()
            guard !found.isEmpty else { throw SysCostError.invalidReport("\(path): no report (*.json) in this directory") }
            files += found.map { ((path as NSString).appendingPathComponent($0), false) }
        }
        let outcomes = Outcomes<Kept>(count: files.count)
        let filePaths = files.map(\.path)
        DispatchQueue.concurrentPerform(iterations: files.count) { i in
            let outcome: Result<Kept, SysCostError>
            do { outcome = .success(keeping(try load(filePaths[i], detail: detail))) } catch let error as SysCostError {
                outcome = .failure(error)
            } catch {
                outcome = .failure(.invalidReport("\(filePaths[i]): \(error)"))
            }
            onProgress(outcomes.set(i, outcome), filePaths.count)
        }
        var out: [(path: String, kept: Kept)] = []
        var skipped = 0
        for (file, outcome) in zip(files, outcomes.all) {
            switch outcome {
            case .success(let report): out.append((file.path, report))
            case .failure(let error) where file.named: throw error
            case .failure(let error): skipped += 1; onSkip("skipped \(error)")
            case nil: preconditionFailure("a report file was not read")
            }
        }
        guard !out.isEmpty else {
            throw SysCostError.invalidReport("no valid run report in \(paths.joined(separator: ", ")) (\(skipped) file\(skipped == 1 ? "" : "s") skipped)")
        }
        return out
    }

    /// Each file's outcome, written from the reading threads.
    private final class Outcomes<Kept>: @unchecked Sendable {
        private let lock = NSLock()
        private var outcomes: [Result<Kept, SysCostError>?]
        private var done = 0
        init(count: Int) { outcomes = Array(repeating: nil, count: count) }
        /// Records one; returns how many are in.
        func set(_ i: Int, _ outcome: Result<Kept, SysCostError>) -> Int {
            lock.lock(); defer { lock.unlock() }
            outcomes[i] = outcome
            done += 1
            return done
        }
        var all: [Result<Kept, SysCostError>?] { lock.lock(); defer { lock.unlock() }; return outcomes }
    }
}
