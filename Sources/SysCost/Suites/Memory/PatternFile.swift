import CSysCost
import Foundation
import SysCostModel

/// The cached file the memory and io suites map, read and write: a tmpfs file (a memfd) of
/// the largest size they use, every byte of page p holding `byte(page: p)`, so a read or a
/// fault can be checked against what it must see. Made once per process; every fixture holds
/// its own descriptor of it.
enum PatternFile {
    static let pages = 10000

    static func byte(page: Int) -> UInt8 { UInt8(page % 251 + 1) }

    /// Writes the file's contents from offset 0, `bytes` of them, to `buffer`.
    static func fill(_ buffer: UnsafeMutableRawPointer, _ bytes: Int) {
        for start in stride(from: 0, to: bytes, by: 4096) {
            memset(buffer + start, Int32(byte(page: start / 4096)), min(4096, bytes - start))
        }
    }

    /// Writes the pattern's first `pages` pages to `fd`.
    static func write(_ fd: Int32, pages: Int) throws {
        let page = UnsafeMutableRawPointer.allocate(byteCount: 4096, alignment: 4096)
        defer { page.deallocate() }
        for p in 0..<pages {
            memset(page, Int32(byte(page: p)), 4096)
            guard pwrite(fd, page, 4096, off_t(p * 4096)) == 4096 else { throw SysCostError.system("writing the pattern file", errno) }
        }
    }

    private static let shared: Result<Int32, SysCostError> = {
        let fd = sc_memfd_exec("syscost-pattern")
        guard fd >= 0 else { return .failure(.system("memfd_create for the pattern file", errno)) }
        do { try write(fd, pages: pages) } catch {
            close(fd)
            return .failure(error as? SysCostError ?? .system("writing the pattern file", EIO))
        }
        return .success(fd)
    }()

    /// A fixture holding a file of its own with the same first `bytes` (an mmap or munmap check
    /// looks for its file in /proc/self/maps, where no other thread maps it), `len` = `bytes`.
    static func privateFixture(_ bytes: Int) throws -> Fixture {
        let f = Fixture()
        try write(try f.adopt(sc_memfd_exec("syscost-mapped"), slot: .first), pages: (bytes + 4095) / 4096)
        f.ctx.pointee.len = bytes
        f.ctx.pointee.arg.0 = bytes / 4096
        return f
    }

    /// Whether the file open as `fd` is mapped anywhere in this process (/proc/self/maps, by inode).
    static func isMapped(_ fd: Int32) -> Bool {
        var st = stat()
        guard fstat(fd, &st) == 0, let maps = try? String(contentsOfFile: "/proc/self/maps", encoding: .utf8) else { return true }
        let inode = String(st.st_ino)
        return maps.split(separator: "\n").contains { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            return fields.count >= 6 && fields[4] == inode && fields[5].contains("syscost-mapped")
        }
    }

    /// A fixture holding a descriptor of the file (fd[0]), with `len` = `bytes`.
    static func fixture(_ bytes: Int) throws -> Fixture {
        let f = Fixture()
        try f.adopt(dup(try shared.get()), slot: .first)
        f.ctx.pointee.len = bytes
        f.ctx.pointee.arg.0 = bytes / 4096
        return f
    }
}
