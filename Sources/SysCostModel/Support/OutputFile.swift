import Foundation

/// Writes what syscost outputs to the path a user gave, as root, without harming what the
/// path points at.
///
/// - a regular file, or nothing yet: replaced atomically (a temporary file in the same
///   directory, flushed, renamed over it), so readers see the old content or the whole new
///   one. An existing file keeps its mode and owner; a new one gets 0666 less the umask.
/// - a symbolic link: followed; the link stays, and its target is written by these rules.
/// - a character device or a FIFO (`/dev/stdout`, `/dev/null`, a pipe): written in place,
///   never replaced. A FIFO waits for its reader, as a shell's redirection does, but for
///   `fifoReaderWait` seconds at most: then the write fails (exit 3, with the fallback file).
/// - a directory, a block device or a socket: refused, naming it.
///
/// The temporary file is removed on every path out, a signal included (`SignalDeferral`).
public enum OutputFile {
    /// What a path is, as far as writing it goes.
    public enum Target: Equatable, Sendable {
        /// An existing regular file (`path` with every link resolved): replaced atomically,
        /// keeping its mode, owner and group.
        case replace(path: String, mode: mode_t, owner: uid_t, group: gid_t)
        /// Nothing there: created (`path` with every link resolved).
        case create(path: String)
        /// A character device or FIFO: written where it is.
        case inPlace(path: String, kind: FileType)

        /// The file written: the resolved path.
        public var path: String {
            switch self {
            case .replace(let path, _, _, _), .create(let path), .inPlace(let path, _): return path
            }
        }
    }

    /// What `path` is; a path that cannot be written (a directory, a block device, a socket, a
    /// link loop, a missing or unreachable directory) throws `usage` naming it and why.
    public static func target(_ path: String) throws -> Target {
        guard !path.isEmpty else { throw SysCostError.usage("an empty output path") }
        var st = stat()
        if stat(path, &st) == 0 {
            switch FileType(mode: st.st_mode) {
            case .regular:
                guard let real = realpath(path, nil) else { throw SysCostError.usage("cannot write \(path): \(reason(errno))") }
                defer { free(real) }
                return .replace(path: String(cString: real), mode: st.st_mode & 0o7777, owner: st.st_uid, group: st.st_gid)
            case .characterDevice: return .inPlace(path: path, kind: .characterDevice)
            case .fifo: return .inPlace(path: path, kind: .fifo)
            case .directory: throw SysCostError.usage("cannot write \(path): it is a directory; give a file name")
            case .blockDevice: throw SysCostError.usage("refusing to write \(path): it is a block device")
            case .socket: throw SysCostError.usage("cannot write \(path): it is a socket; give a file, or leave out the option to print")
            case .symbolicLink, .other: throw SysCostError.usage("cannot write \(path): it is not a file")
            }
        }
        let code = errno
        guard code == ENOENT else { throw SysCostError.usage("cannot write \(path): \(reason(code))") }
        // Nothing there, or a link to nothing: the file to create is where the links lead.
        return .create(path: try danglingTarget(path))
    }

    /// Checks, before any work, that `path` can be written: for a file, that one can be
    /// created in its directory (made and removed); for a device or FIFO, that it is writable.
    /// Throws `usage` naming the cause (exit 2).
    public static func check(_ path: String) throws {
        let target = try target(path)
        switch target {
        case .inPlace(let device, let kind):
            guard access(device, W_OK) == 0 else { throw SysCostError.usage("cannot write \(path) (\(kind.named)): \(reason(errno))") }
        case .replace(let file, _, _, _), .create(let file):
            try checkDirectory(directory(of: file), for: path)
        }
    }

    /// Checks that a file can be made in `dir` (one is made and removed); throws `usage`
    /// saying why not, for `path`.
    public static func checkDirectory(_ dir: String, for path: String) throws {
        var st = stat()
        guard stat(dir, &st) == 0 else {
            throw SysCostError.usage("cannot write \(path): \(dir) " + (errno == ENOENT ? "does not exist" : reason(errno)))
        }
        guard FileType(mode: st.st_mode) == .directory else { throw SysCostError.usage("cannot write \(path): \(dir) is not a directory") }
        let (fd, tmp) = try temporary(in: dir, for: path)
        close(fd)
        unlink(tmp)
    }

    /// Writes `data` to `path` by the rules above; throws `system` or `usage` naming the cause,
    /// leaving the destination as it was.
    public static func write(_ data: Data, to path: String) throws {
        try write(to: path) { try $0.write(data) }
    }

    /// Writes what `produce` gives, piece by piece (`TextSink`), to `path` by the rules above:
    /// a file is only renamed into place once all of it is written and flushed, so a failure
    /// anywhere (a write, or `produce` itself) leaves the destination as it was.
    public static func write(to path: String, _ produce: (TextSink) throws -> Void) throws {
        switch try target(path) {
        case .inPlace(let device, let kind):
            let fd = try openInPlace(device, kind: kind, shownAs: path)
            defer { close(fd) }
            if let failure = try TextSink.write(to: fd, produce) { throw SysCostError.system("writing \(path)", failure) }
        case .replace(let file, let mode, let owner, let group):
            try replace(file, with: produce, mode: mode, owner: (owner, group), shownAs: path)
        case .create(let file):
            let mask = umask(0o022)
            umask(mask)
            try replace(file, with: produce, mode: 0o666 & ~mask, owner: nil, shownAs: path)
        }
    }

    /// How long a write waits for a FIFO's reader.
    public static let fifoReaderWait = 5.0

    /// A device or FIFO opened for writing. A FIFO is opened without blocking (ENXIO while no
    /// one reads it), tried again every 50 ms for `fifoReaderWait` seconds, then given up on.
    static func openInPlace(_ device: String, kind: FileType, shownAs path: String) throws -> Int32 {
        guard kind == .fifo else {
            let fd = open(device, O_WRONLY | O_NOCTTY | O_CLOEXEC)
            guard fd >= 0 else { throw SysCostError.system("opening \(path) (\(kind.named))", errno) }
            return fd
        }
        let due = Date().addingTimeInterval(fifoReaderWait)
        while true {
            let fd = open(device, O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
            if fd >= 0 {
                // Writes block again once a reader is there: a slow reader is waited for.
                _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
                return fd
            }
            guard errno == ENXIO || errno == EINTR else { throw SysCostError.system("opening \(path) (\(kind.named))", errno) }
            guard Date() < due else {
                throw SysCostError.usage("no one read the FIFO \(path) within \(Int(fifoReaderWait)) s")
            }
            usleep(50_000)
        }
    }

    /// Writes `data` as a new file at `path`, never over one already there: a whole temporary
    /// file beside it is linked to the name (link(2) fails if the name is taken, atomically,
    /// between processes too). False when the name was taken; throws on any other failure.
    public static func writeNew(_ data: Data, to path: String) throws -> Bool {
        try SignalDeferral.during {
            let (fd, tmp) = try temporary(in: directory(of: path), for: path)
            defer { unlink(tmp) }
            var failure = writeAll(data, to: fd)
            if failure == nil, fsync(fd) != 0 { failure = errno }
            let mask = umask(0o022)
            umask(mask)
            if failure == nil, fchmod(fd, 0o666 & ~mask) != 0 { failure = errno }
            close(fd)
            if let failure { throw SysCostError.system("writing \(path)", failure) }
            guard link(tmp, path) == 0 else {
                if errno == EEXIST { return false }
                throw SysCostError.system("linking \(path)", errno)
            }
            return true
        }
    }

    private static func replace(_ file: String, with produce: (TextSink) throws -> Void, mode: mode_t, owner: (uid_t, gid_t)?,
                                shownAs path: String) throws {
        try SignalDeferral.during {
            let (fd, tmp) = try temporary(in: directory(of: file), for: path)
            var renamed = false
            defer { if !renamed { unlink(tmp) } }
            var failure: Int32?
            do { failure = try TextSink.write(to: fd, produce) } catch { close(fd); throw error }
            if failure == nil, fsync(fd) != 0 { failure = errno }
            if failure == nil, fchmod(fd, mode) != 0 { failure = errno }
            if failure == nil, let (uid, gid) = owner, geteuid() == 0, fchown(fd, uid, gid) != 0 { failure = errno }
            close(fd)
            if let failure { throw SysCostError.system("writing \(path)", failure) }
            guard rename(tmp, file) == 0 else { throw SysCostError.system("renaming into \(path)", errno) }
            renamed = true
        }
    }

    /// A new, empty temporary file beside the destination: its descriptor and path.
    private static func temporary(in dir: String, for path: String) throws -> (Int32, String) {
        var template = Array("\(dir)/.syscost-tmp-XXXXXX".utf8CString)
        let fd = mkstemp(&template)
        if fd >= 0 { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        guard fd >= 0 else { throw SysCostError.usage("cannot write \(path): \(reason(errno)) (creating a file in \(dir))") }
        return (fd, template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) })
    }

    /// Where a chain of links that ends at nothing leads (the path itself when it is no link).
    private static func danglingTarget(_ path: String) throws -> String {
        var current = path
        for _ in 0..<40 {
            var st = stat()
            guard lstat(current, &st) == 0 else {
                guard errno == ENOENT else { throw SysCostError.usage("cannot write \(path): \(reason(errno))") }
                return current
            }
            guard FileType(mode: st.st_mode) == .symbolicLink else { return current }
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let n = readlink(current, &buffer, Int(PATH_MAX))
            guard n > 0 else { throw SysCostError.usage("cannot write \(path): \(reason(errno))") }
            let link = String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            current = link.hasPrefix("/") ? link : (directory(of: current) as NSString).appendingPathComponent(link)
        }
        throw SysCostError.usage("cannot write \(path): \(reason(ELOOP))")
    }

    /// The folder `path` is in ("." for a bare name). Not NSString's deletingLastPathComponent:
    /// Foundation traps on a one-character name there ("1", "a").
    public static func directory(of path: String) -> String {
        let trimmed = path.count > 1 && path.hasSuffix("/") ? String(path.reversed().drop { $0 == "/" }.reversed()) : path
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        let dir = String(trimmed[..<slash].reversed().drop { $0 == "/" }.reversed())
        return dir.isEmpty ? "/" : dir
    }

    /// Writes all of `data` to `fd`, retrying short writes and EINTR; the errno of a failure.
    public static func writeAll(_ data: Data, to fd: Int32) -> Int32? {
        data.withUnsafeBytes { writeAll($0, to: fd) }
    }

    public static func writeAll(_ raw: UnsafeRawBufferPointer, to fd: Int32) -> Int32? {
        guard let base = raw.baseAddress else { return nil }
        var offset = 0
        while offset < raw.count {
            let n = Foundation.write(fd, base + offset, raw.count - offset)
            if n < 0 { if errno == EINTR { continue }; return errno }
            if n == 0 { return EIO }
            offset += n
        }
        return nil
    }

    static func reason(_ code: Int32) -> String { String(cString: strerror(code)) }
}
