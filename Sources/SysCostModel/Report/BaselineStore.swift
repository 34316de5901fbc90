import Foundation

/// Named baselines in a folder (checked in, like package-benchmark's): `<dir>/<name>.json`,
/// each a run report. A name is letters, digits, `.`, `_` and `-` (not first), at most 64: it
/// never leaves its folder. Every command acts on regular files of the folder and on nothing
/// else: a directory or a device that happens to carry a baseline's name is named and left
/// alone. Links follow `Tree`'s rule, for saving and reading alike: one that leads to a file
/// inside the folder is that file; one that leads out of it is named and left alone.
public struct BaselineStore: Sendable {
    public let directory: String

    public init(directory: String) { self.directory = directory }

    public static func validate(_ name: String) throws {
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        guard !name.isEmpty, name.count <= 64, name.unicodeScalars.allSatisfy(allowed.contains),
              let first = name.unicodeScalars.first, !".-".unicodeScalars.contains(first) else {
            throw SysCostError.usage("'\(name)' is not a baseline name: use letters, digits, '.', '_' and '-' (not first), at most 64")
        }
    }

    public func path(_ name: String) throws -> String {
        try Self.validate(name)
        return (directory as NSString).appendingPathComponent(name + ".json")
    }

    /// What is at a baseline's path; a link is what it leads to, if that is inside the folder.
    enum Kind: Equatable {
        case missing, regular
        case other(String)
    }

    func kind(_ file: String) -> Kind {
        var st = stat()
        guard lstat(file, &st) == 0 else { return .missing }
        var type = FileType(mode: st.st_mode)
        if type == .symbolicLink {
            if let outside = Tree(directory).escape(file) { return .other("a link out of \(directory) (to \(outside))") }
            guard stat(file, &st) == 0 else { return .other("a link to nothing") }
            type = FileType(mode: st.st_mode)
        }
        return type == .regular ? .regular : .other(type.named)
    }

    /// The file of baseline `name`, which must be a regular file (not a link).
    func existing(_ name: String) throws -> String {
        let file = try path(name)
        switch kind(file) {
        case .regular: return file
        case .missing:
            let known = (try? list().filter { $0.report != nil }.map(\.name)) ?? []
            throw SysCostError.usage("no baseline '\(name)' in \(directory)" + (known.isEmpty ? "" : "; there are: \(known.joined(separator: ", "))"))
        case .other(let what):
            throw SysCostError.usage("\(file) is \(what), not a baseline file: left alone")
        }
    }

    /// Stores `report` as `name`, replacing a baseline of that name (a regular file only).
    public func save(_ report: RunReport, as name: String) throws -> String {
        try save([report], as: name)
    }

    /// Stores `reports` as baseline `name`: the first as `<name>.json` (what every reader of a
    /// baseline takes), the others as `<name>.runs/2.json`, `3.json`, …, so a gate can judge
    /// several runs a side. Extra runs of an earlier baseline of that name are removed (only
    /// their regular files); anything else in the way is refused before a byte is written.
    public func save(_ reports: [RunReport], as name: String) throws -> String {
        guard let first = reports.first else { throw SysCostError.usage("no run to save as baseline '\(name)'") }
        let file = try path(name)
        if case .other(let what) = kind(file) { throw SysCostError.usage("\(file) is \(what), not a baseline file: not replaced") }
        let extra = try extraRunsFolder(name)
        switch kind(extra) {
        case .missing, .other("a directory"): break
        case .regular, .other: throw SysCostError.usage("\(extra) is not a folder of a baseline's runs: not replaced")
        }
        try ResultWriter.prepare(directory: directory)
        for old in try extraRunFiles(name) where unlink(old) != 0 { throw SysCostError.system("removing \(old)", errno) }
        if reports.count > 1 { try ResultWriter.prepare(directory: extra) } else { rmdir(extra) }
        try ResultWriter.write(Data(try PrettyJSON.string(first).utf8), to: file, fallbackName: name + ".json")
        for (i, report) in reports.enumerated().dropFirst() {
            let path = (extra as NSString).appendingPathComponent("\(i + 1).json")
            try ResultWriter.write(Data(try PrettyJSON.string(report).utf8), to: path, fallbackName: "\(name)-\(i + 1).json")
        }
        return file
    }

    /// The folder of a baseline's runs beyond its first.
    func extraRunsFolder(_ name: String) throws -> String {
        try Self.validate(name)
        return (directory as NSString).appendingPathComponent(name + ".runs")
    }

    /// The regular `<n>.json` files of a baseline's extra runs, in order (a real folder only:
    /// a link there is not followed).
    func extraRunFiles(_ name: String) throws -> [String] {
        let folder = try extraRunsFolder(name)
        guard kind(folder) == .other("a directory"), let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        let numbered = names.compactMap { n -> (Int, String)? in
            guard n.hasSuffix(".json"), let i = Int(n.dropLast(5)), i >= 2, i <= Self.maxRuns else { return nil }
            return (i, (folder as NSString).appendingPathComponent(n))
        }
        return numbered.sorted { $0.0 < $1.0 }.map(\.1).filter { kind($0) == .regular }
    }

    /// The most runs a baseline keeps.
    public static let maxRuns = 64

    public func load(_ name: String) throws -> RunReport {
        try ReportLoader.load(try existing(name))
    }

    /// Every run of baseline `name`: its file, then its extra runs.
    public func loadRuns(_ name: String) throws -> [RunReport] {
        [try load(name)] + (try extraRunFiles(name).map { try ReportLoader.load($0) })
    }

    /// The baseline, or nil when there is none; a file that is no baseline is an error, never
    /// taken for a missing one (and so never replaced by `watch`).
    public func loadIfPresent(_ name: String) throws -> RunReport? {
        kind(try path(name)) == .missing ? nil : try load(name)
    }

    public struct Entry: Sendable {
        public var name: String
        public var report: RunReport?
        /// Why the file is not a baseline, for a file that is not one.
        public var problem: String?
    }

    /// Every `*.json` in the folder, by name; one that is no regular file, or does not load,
    /// says why (and is never read through a link).
    public func list() throws -> [Entry] {
        guard let files = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        return files.filter { $0.hasSuffix(".json") }.sorted().map { file in
            let name = String(file.dropLast(5))
            let path = (directory as NSString).appendingPathComponent(file)
            if case .other(let what) = kind(path) { return Entry(name: name, report: nil, problem: "\(what), not a baseline file") }
            do { return Entry(name: name, report: try ReportLoader.load(path)) } catch {
                return Entry(name: name, report: nil, problem: "\(error)")
            }
        }
    }

    /// Removes baseline `name`: a regular file, unlinked; anything else is refused.
    public func delete(_ name: String) throws {
        let file = try existing(name)
        for extra in try extraRunFiles(name) where unlink(extra) != 0 { throw SysCostError.system("removing \(extra)", errno) }
        rmdir(try extraRunsFolder(name))
        guard unlink(file) == 0 else { throw SysCostError.system("removing \(file)", errno) }
    }
}
