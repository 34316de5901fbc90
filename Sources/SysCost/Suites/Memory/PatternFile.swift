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

    /// The file's contents from offset 0, `bytes` of them.
    static func contents(_ bytes: Int) -> [UInt8] {
        (0..<bytes).map { byte(page: $0 / 4096) }
    }

    private static let shared: Result<Int32, SysCostError> = {
        let fd = sc_memfd_exec("syscost-pattern")
        guard fd >= 0 else { return .failure(.system("memfd_create for the pattern file", errno)) }
        var page = [UInt8](repeating: 0, count: 4096)
        for p in 0..<pages {
            for i in page.indices { page[i] = byte(page: p) }
            guard pwrite(fd, page, page.count, off_t(p * 4096)) == page.count else {
                let code = errno
                close(fd)
                return .failure(.system("writing the pattern file", code))
            }
        }
        return .success(fd)
    }()

    /// A fixture holding a descriptor of the file (fd[0]), with `len` = `bytes`.
    static func fixture(_ bytes: Int) throws -> Fixture {
        let f = Fixture()
        try f.adopt(dup(try shared.get()), slot: .first)
        f.ctx.pointee.len = bytes
        f.ctx.pointee.arg.0 = bytes / 4096
        return f
    }
}
