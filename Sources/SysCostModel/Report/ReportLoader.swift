import Foundation

/// Reads reports for compare, history and report, with errors that name the file.
public enum ReportLoader {
    /// One report file. Unreadable, malformed or of another schema: `invalidReport` (exit 2).
    public static func load(_ path: String, detail: RunReport.Detail = .full) throws -> RunReport {
        let data = try read(path)
        guard !data.isEmpty else { throw SysCostError.invalidReport("\(path): empty file") }
        do { return try RunReport.decode(data, detail: detail) } catch let error as SysCostError {
            throw SysCostError.invalidReport("\(path): \(error)")
        }
    }

    /// A report file's bytes: a regular file (through links) of at most
    /// `ReportLimits.fileBytes`, read without ever waiting on it (a FIFO or a device is refused
    /// before a byte is read). Errors name the file and the real cause.
    public static func read(_ path: String) throws -> Data {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
        guard fd >= 0 else { throw SysCostError.invalidReport("\(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw SysCostError.invalidReport("\(path): \(String(cString: strerror(errno)))") }
        switch FileType(mode: st.st_mode) {
        case .regular: break
        case .directory: throw SysCostError.invalidReport("\(path): is a directory, expected a report file")
        case .other: throw SysCostError.invalidReport("\(path): is not a regular file")
        case let type: throw SysCostError.invalidReport("\(path): is \(type.named), not a report file")
        }
        let limit = ReportLimits.fileBytes
        guard st.st_size <= limit else {
            throw SysCostError.invalidReport("\(path): \(st.st_size) bytes; a report is at most \(limit >> 20) MiB")
        }
        var data = Data(count: Int(st.st_size) + 1)
        var length = 0
        let failure: Int32? = data.withUnsafeMutableBytes { raw -> Int32? in
            while length < raw.count {
                let n = Foundation.read(fd, raw.baseAddress! + length, raw.count - length)
                if n < 0 { if errno == EINTR { continue }; return errno }
                if n == 0 { break }
                length += n
            }
            return nil
        }
        if let failure { throw SysCostError.invalidReport("\(path): cannot read: \(String(cString: strerror(failure)))") }
        // It grew while read: the size it has now decides.
        guard length <= Int(st.st_size) else {
            throw SysCostError.invalidReport("\(path): it grew while it was read; a report is a finished file")
        }
        data.count = length
        return data
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
            var st = stat()
            guard stat(path, &st) == 0 else { throw SysCostError.invalidReport("\(path): \(String(cString: strerror(errno)))") }
            guard FileType(mode: st.st_mode) == .directory else { files.append((path, true)); continue }
            var found: [String] = [], visited: Set<String> = []
            try reportFiles(in: path, tree: Tree(path), depth: 0, into: &found, visited: &visited, onSkip: onSkip)
            guard !found.isEmpty else { throw SysCostError.invalidReport("\(path): no report (*.json) in this directory") }
            files += found.sorted().map { ($0, false) }
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

    /// How deep a results tree is searched, and how many files it may hold.
    static let maxTreeDepth = 16
    static let maxTreeFiles = 100_000

    /// The `*.json` files under `dir`, by `Tree`'s rule: a link is followed (to a file or a
    /// folder) while it leads inside the tree, and skipped, unopened, with a note, when it
    /// leads out of it. Each real folder is searched once, so a link loop cannot trap the search.
    static func reportFiles(in dir: String, tree: Tree, depth: Int, into found: inout [String], visited: inout Set<String>,
                            onSkip: (String) -> Void) throws {
        guard depth <= maxTreeDepth else { throw SysCostError.invalidReport("\(dir): nested deeper than \(maxTreeDepth) directories") }
        guard visited.insert(Tree.resolve(dir) ?? dir).inserted else { return }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else {
            throw SysCostError.invalidReport("\(dir): cannot list this directory")
        }
        for name in names.sorted() {
            let path = (dir as NSString).appendingPathComponent(name)
            var st = stat()
            guard lstat(path, &st) == 0 else { continue }
            var type = FileType(mode: st.st_mode)
            if type == .symbolicLink {
                let leadsTo = stat(path, &st) == 0 ? FileType(mode: st.st_mode) : nil
                guard name.hasSuffix(".json") || leadsTo == .directory else { continue }
                if let outside = tree.escape(path) { onSkip(tree.skipNote(path, to: outside)); continue }
                guard let leadsTo else { continue }
                type = leadsTo
            }
            if type == .directory {
                try reportFiles(in: path, tree: tree, depth: depth + 1, into: &found, visited: &visited, onSkip: onSkip)
            } else if name.hasSuffix(".json") {
                guard found.count < maxTreeFiles else {
                    throw SysCostError.invalidReport("\(dir): more than \(maxTreeFiles) report files; name a smaller folder")
                }
                found.append(path)
            }
        }
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
