import Foundation

/// The one rule for links in the trees syscost keeps — a results tree, a baseline folder, a
/// watch's state folder — the same for writing and for reading:
/// - the root is taken as given (a link there is the user's own choice, and is followed);
/// - below it, a link is followed while it leads to a place inside the root;
/// - a link that leads out of the root, or nowhere, is never followed: a write there is
///   refused naming it (exit 2), and a read skips it with a note, without opening it.
///
/// So `run --save` never writes through `results/<machine>` linked elsewhere while
/// `history results/` skips it, and a link in a tree to a file outside it (/etc/shadow) is
/// never opened. Inside means: the path with every link resolved starts with the root's own
/// resolved path.
public struct Tree: Sendable {
    public let root: String
    /// The root with every link resolved (as far as it exists).
    public let resolvedRoot: String

    public init(_ root: String) {
        self.root = root
        resolvedRoot = Self.resolve(root) ?? root
    }

    /// Where `path` leads when that is outside the tree (or nowhere: a dangling link), else nil.
    public func escape(_ path: String) -> String? {
        guard let real = Self.resolve(path) else { return "nowhere (a link to nothing)" }
        return Self.within(real, resolvedRoot) ? nil : real
    }

    /// Throws `usage` (exit 2) when `path`, to be written, leads out of the tree.
    public func checkWritable(_ path: String) throws {
        guard let outside = escape(path) else { return }
        throw SysCostError.usage("refusing to write \(path): it leads outside \(root) (to \(outside)); \(Self.rule)")
    }

    /// The note a reader gives for a path it skips because it leads out of the tree.
    public func skipNote(_ path: String, to outside: String) -> String {
        "skipped \(path): it leads outside \(root) (to \(outside)); \(Self.rule)"
    }

    public static let rule = "syscost follows no link out of a results, baseline or state folder, for reading or writing"

    static func within(_ path: String, _ root: String) -> Bool {
        root == "/" || path == root || path.hasPrefix(root.hasSuffix("/") ? root : root + "/")
    }

    /// `path` with every link resolved: realpath(3) of its deepest existing ancestor, then the
    /// components that do not exist yet. Nil when a component is there but cannot be resolved
    /// (a link to nothing, a loop).
    static func resolve(_ path: String) -> String? {
        let absolute = path.hasPrefix("/") ? path : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
        var head = (absolute as NSString).standardizingPath
        var tail: [String] = []
        while true {
            if let real = realpath(head, nil) {
                defer { free(real) }
                return tail.reversed().reduce(String(cString: real)) { ($0 as NSString).appendingPathComponent($1) }
            }
            var st = stat()
            // There (a dangling link, a loop), or unreachable: not resolvable.
            if errno != ENOENT || lstat(head, &st) == 0 { return nil }
            let parent = OutputFile.directory(of: head)
            guard parent != head, parent != "." else { return nil }
            tail.append((head as NSString).lastPathComponent)
            head = parent
        }
    }
}
