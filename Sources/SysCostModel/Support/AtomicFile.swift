import Foundation

/// Writes a file so readers see either the old content or the whole new one, never a part:
/// the bytes go to a temporary file in the same directory, are flushed, then renamed over
/// the destination. On any failure the temporary file is removed and the destination kept.
public enum AtomicFile {
    public static func write(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent().path
        var template = Array("\(dir)/.\(url.lastPathComponent).tmp-XXXXXX".utf8CString)
        let fd = mkstemp(&template)
        guard fd >= 0 else { throw SysCostError.system("creating a temporary file in \(dir)", errno) }
        let tmp = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        var renamed = false
        defer {
            if !renamed { unlink(tmp) }
        }
        var offset = 0
        let failure: Int32? = data.withUnsafeBytes { raw -> Int32? in
            while offset < raw.count {
                let n = Foundation.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 { if errno == EINTR { continue }; return errno }
                offset += n
            }
            return fsync(fd) == 0 ? nil : errno
        }
        fchmod(fd, 0o644)
        close(fd)
        if let failure { throw SysCostError.system("writing \(path)", failure) }
        guard rename(tmp, path) == 0 else { throw SysCostError.system("renaming into \(path)", errno) }
        renamed = true
    }
}
