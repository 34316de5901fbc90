import Foundation

/// Named baselines in a folder (checked in, like package-benchmark's): `<dir>/<name>.json`,
/// each a run report. A name is letters, digits, `.`, `_` and `-` (not first), at most 64: it
/// never leaves its folder.
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

    /// Stores `report` as `name`, replacing a baseline of that name.
    public func save(_ report: RunReport, as name: String) throws -> String {
        let file = try path(name)
        try ResultWriter.prepare(directory: directory)
        try ResultWriter.write(Data(try PrettyJSON.string(report).utf8), to: file, fallbackName: name + ".json")
        return file
    }

    public func load(_ name: String) throws -> RunReport {
        let file = try path(name)
        guard FileManager.default.fileExists(atPath: file) else {
            let known = (try? list().map(\.name)) ?? []
            throw SysCostError.usage("no baseline '\(name)' in \(directory)" + (known.isEmpty ? "" : "; there are: \(known.joined(separator: ", "))"))
        }
        return try ReportLoader.load(file)
    }

    public struct Entry: Sendable {
        public var name: String
        public var report: RunReport?
        /// Why the file is not a baseline, for a file that is not one.
        public var problem: String?
    }

    /// Every `*.json` in the folder, by name; one that does not load says why.
    public func list() throws -> [Entry] {
        guard let files = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        return files.filter { $0.hasSuffix(".json") }.sorted().map { file in
            let name = String(file.dropLast(5))
            do { return Entry(name: name, report: try ReportLoader.load((directory as NSString).appendingPathComponent(file))) } catch {
                return Entry(name: name, report: nil, problem: "\(error)")
            }
        }
    }

    public func delete(_ name: String) throws {
        let file = try path(name)
        guard FileManager.default.fileExists(atPath: file) else { throw SysCostError.usage("no baseline '\(name)' in \(directory)") }
        do { try FileManager.default.removeItem(atPath: file) } catch {
            throw SysCostError.system("removing \(file)", Int32((error as NSError).code))
        }
    }
}
