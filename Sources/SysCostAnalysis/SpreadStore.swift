import Foundation
import SysCostModel
import SysCostStatistics

/// Where a machine's learned between-run spread is kept: beside its saved runs, one file per
/// kernel, `<root>/<machine key>/<kernel release>/between-runs.spread` (not `.json`, so a
/// history of the tree never takes it for a run). Written atomically; read bounded and checked.
public struct SpreadStore: Sendable {
    public var root: String
    public init(root: String) { self.root = root }

    public static let fileName = "between-runs.spread"

    public func path(machine: MachineKey, kernel: String) -> String {
        [root, machine.rawValue, SavedRuns.component(kernel), Self.fileName].reduce("") { $0.isEmpty ? $1 : ($0 as NSString).appendingPathComponent($1) }
    }

    /// Learns the spread of the runs saved for `machine` under `kernel` (the newest
    /// `maxRuns`), writes it, and returns it; nil when they are too few.
    public func learn(machine: MachineKey, kernel: String, estimator: Estimator = .undisturbed, now: Date = Date(),
                      onSkip: (String) -> Void = { _ in }) throws -> (spread: BetweenRunSpread, path: String)? {
        let folder = OutputFile.directory(of: path(machine: machine, kernel: kernel))
        try Tree(root).checkWritable(folder)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else { return nil }
        let runs = try ReportLoader.collect([folder], onSkip: onSkip, keeping: { RunTimings($0) })
            .map(\.kept).sorted { $0.startedAt < $1.startedAt }.suffix(Self.maxRuns)
        guard let spread = BetweenRunSpread.learn(from: Array(runs), estimator: estimator, now: now) else { return nil }
        let file = path(machine: spread.machine, kernel: kernel)
        try ResultWriter.write(Data(try PrettyJSON.string(spread).utf8), to: file, fallbackName: Self.fileName)
        return (spread, file)
    }

    /// Keeps `spread`, learned from a history of the machine's runs under several kernels (a
    /// kernel matrix's boots), beside the runs of each of `kernels` that has a folder here: the
    /// files `lookup` finds for them. Returns the files written.
    public func keep(_ spread: BetweenRunSpread, kernels: [String]) throws -> [String] {
        let tree = Tree(root)
        var written: [String] = []
        for kernel in kernels {
            let file = path(machine: spread.machine, kernel: kernel)
            let folder = OutputFile.directory(of: file)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else { continue }
            try tree.checkWritable(folder)
            try ResultWriter.write(Data(try PrettyJSON.string(spread).utf8), to: file, fallbackName: Self.fileName)
            written.append(file)
        }
        return written
    }

    /// The newest runs a spread is learned from: a machine's character changes over weeks.
    public static let maxRuns = 50

    /// The spread for a run of `machine` on `kernel`: that kernel's file, else the newest
    /// file of the machine's other kernels; nil when there is none. A file that is there but
    /// broken is an error naming it (a gate fails closed).
    /// A spread file reached through a link out of the tree is an error naming it (`Tree`).
    public func lookup(machine: MachineKey, kernel: String) throws -> BetweenRunSpread? {
        let tree = Tree(root)
        let own = path(machine: machine, kernel: kernel)
        if FileManager.default.fileExists(atPath: own) { return try Self.load(own, in: tree) }
        let machineFolder = (root as NSString).appendingPathComponent(machine.rawValue)
        guard tree.escape(machineFolder) == nil, let kernels = try? FileManager.default.contentsOfDirectory(atPath: machineFolder) else { return nil }
        let files = kernels.map { [machineFolder, $0, Self.fileName].reduce("") { $0.isEmpty ? $1 : ($0 as NSString).appendingPathComponent($1) } }
            .filter { FileManager.default.fileExists(atPath: $0) }
        let spreads = try files.map { try Self.load($0, in: tree) }
        return spreads.max { $0.learnedAt < $1.learnedAt }
    }

    static func load(_ path: String, in tree: Tree) throws -> BetweenRunSpread {
        if let outside = tree.escape(path) {
            throw SysCostError.invalidReport("\(path): it leads outside \(tree.root) (to \(outside)); \(Tree.rule)")
        }
        return try load(path)
    }

    /// One spread file, read as a report is (a regular file, bounded) and checked.
    public static func load(_ path: String) throws -> BetweenRunSpread {
        let data = try ReportLoader.read(path)
        do {
            return try JSONDecoder().decode(BetweenRunSpread.self, from: data).validated(path)
        } catch let error as SysCostError {
            throw error
        } catch {
            throw SysCostError.invalidReport("\(path): not a between-run spread (\(error))")
        }
    }
}
