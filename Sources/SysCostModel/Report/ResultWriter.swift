import Foundation

/// Nothing measured is lost: where a report will go is checked before anything is measured,
/// and a report that still cannot be written goes to a fallback file whose path is said.
public enum ResultWriter {
    /// Throws `usage` naming `path` when a file cannot be created in its directory (missing,
    /// not a directory, read-only, no permission): checked by creating and removing one.
    public static func checkWritable(file path: String) throws {
        let dir = (path as NSString).deletingLastPathComponent
        try checkWritable(directory: dir.isEmpty ? "." : dir, for: path)
    }

    /// Creates `dir` (and its parents) if missing, then checks a file can be created in it.
    public static func prepare(directory dir: String) throws {
        do { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) } catch {
            throw SysCostError.usage("cannot create \(dir): \(reason(error))")
        }
        try checkWritable(directory: dir, for: dir)
    }

    static func checkWritable(directory dir: String, for what: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDirectory) else {
            throw SysCostError.usage("cannot write \(what): \(dir) does not exist")
        }
        guard isDirectory.boolValue else { throw SysCostError.usage("cannot write \(what): \(dir) is not a directory") }
        var template = Array("\(dir)/.syscost-probe-XXXXXX".utf8CString)
        let fd = mkstemp(&template)
        guard fd >= 0 else {
            throw SysCostError.usage("cannot write \(what): \(String(cString: strerror(errno))) (in \(dir))")
        }
        close(fd)
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
    }

    /// Writes `data` to `path` atomically; if that fails, to a fallback file in the temporary
    /// directory, and throws `notWritten` naming both (exit 3). When even that fails, the
    /// report goes to standard error, so it is still not lost.
    public static func write(_ data: Data, to path: String, fallbackName: String) throws {
        do {
            try AtomicFile.write(data, to: path)
        } catch {
            let dir = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
            let fallback = (dir as NSString).appendingPathComponent("syscost-unsaved-\(getpid())-\(fallbackName)")
            do {
                try AtomicFile.write(data, to: fallback)
            } catch let second {
                FileHandle.standardError.write(data)
                throw SysCostError.notWritten("could not write \(path) (\(reason(error))) nor \(fallback) (\(reason(second))): the report is above, on standard error")
            }
            throw SysCostError.notWritten("could not write \(path) (\(reason(error))): the report is in \(fallback)")
        }
    }

    static func reason(_ error: Error) -> String {
        if let e = error as? SysCostError { return e.description }
        return (error as NSError).localizedDescription
    }
}
