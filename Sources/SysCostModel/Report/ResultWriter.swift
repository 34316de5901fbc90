import Foundation

/// Nothing measured is lost: where a report will go is checked before anything is measured,
/// and a report that still cannot be written goes to a fallback file whose path is said.
public enum ResultWriter {
    /// Creates `dir` (and its parents) if missing, then checks a file can be created in it.
    public static func prepare(directory dir: String) throws {
        do { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) } catch {
            throw SysCostError.usage("cannot create \(dir): \(reason(error))")
        }
        try OutputFile.checkDirectory(dir, for: dir)
    }

    /// Writes `data` to `path` (`OutputFile`); if that fails, to a fallback file in the temporary
    /// directory, and throws `notWritten` naming both (exit 3). When even that fails, the
    /// report goes to standard error, so it is still not lost.
    public static func write(_ data: Data, to path: String, fallbackName: String) throws {
        try write(to: path, fallbackName: fallbackName) { try $0.write(data) }
    }

    /// What `produce` writes, piece by piece, to `path`, by the rules of `write(_:to:)`; the
    /// fallback file (or standard error) is written by `produce` again.
    public static func write(to path: String, fallbackName: String, _ produce: (TextSink) throws -> Void) throws {
        do {
            try OutputFile.write(to: path, produce)
        } catch {
            let fallback: String
            do {
                fallback = try writeFallback(name: fallbackName, produce)
            } catch let second {
                _ = try? TextSink.write(to: STDERR_FILENO, produce)
                throw SysCostError.notWritten("could not write \(path) (\(reason(error))) nor a fallback file in the temporary directory (\(reason(second))): the report is above, on standard error")
            }
            throw SysCostError.notWritten("could not write \(path) (\(reason(error))): the report is in \(fallback)")
        }
    }

    /// A new file of its own in the temporary directory (made exclusively: never a path that
    /// someone else made first there), named after `name`; its path.
    public static func writeFallback(_ data: Data, name: String) throws -> String {
        try writeFallback(name: name) { try $0.write(data) }
    }

    public static func writeFallback(name: String, _ produce: (TextSink) throws -> Void) throws -> String {
        let (fd, path) = try createFallback(name: name)
        defer { close(fd) }
        let failed: Int32?
        do { failed = try TextSink.write(to: fd, produce) } catch { unlink(path); throw error }
        if let failed { unlink(path); throw SysCostError.system("writing \(path)", failed) }
        return path
    }

    /// A new, empty fallback file, `$TMPDIR/syscost-unsaved-XXXXXX-<name>`: its descriptor
    /// (close-on-exec) and path.
    static func createFallback(name: String) throws -> (fd: Int32, path: String) {
        let dir = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
        let safe = String(name.unicodeScalars.filter { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0)) }.prefix(64))
        let suffix = "-" + (safe.isEmpty ? "report" : safe)
        var template = Array(((dir as NSString).appendingPathComponent("syscost-unsaved-XXXXXX") + suffix).utf8CString)
        let fd = mkstemps(&template, Int32(suffix.utf8.count))
        guard fd >= 0 else { throw SysCostError.system("creating a file in \(dir)", errno) }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        return (fd, template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) })
    }

    static func reason(_ error: Error) -> String {
        if let e = error as? SysCostError { return e.description }
        return (error as NSError).localizedDescription
    }
}
