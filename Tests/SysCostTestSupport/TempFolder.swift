import Foundation

/// A fresh folder under the temporary directory, made with mkdtemp (mode 0700, a name no
/// other test has), removed with everything in it by `remove()`; the one temporary-folder
/// helper of the tests.
public struct TempFolder {
    public let url: URL
    public var path: String { url.path }

    /// `tag` names the folder's purpose (it shows in the name: syscost-<tag>-XXXXXX).
    public init(_ tag: String) throws {
        let base = FileManager.default.temporaryDirectory.path
        var template = Array("\(base)/syscost-\(tag)-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else {
            throw TestFailure("mkdtemp in \(base): \(String(cString: strerror(errno)))")
        }
        url = URL(fileURLWithPath: String(cString: made), isDirectory: true)
    }

    public func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    public func remove() { try? FileManager.default.removeItem(at: url) }

    /// A fresh path for a file in the temporary directory itself (the caller unlinks it).
    public static func filePath(_ tag: String, extension ext: String = "json") -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("syscost-\(tag)-\(UUID()).\(ext)").path
    }
}
