import CSysCost
import Foundation
import SysCostModel

/// Set-ups shared by several catalog entries.
enum Fixtures {
    static func openDevice(_ path: String, _ flags: Int32) throws -> Fixture {
        let f = Fixture()
        try f.adopt(open(path, flags | O_CLOEXEC), slot: .first)
        f.ctx.pointee.buf = f.buffer(64)
        f.ctx.pointee.len = 64
        return f
    }

    /// A 4 KiB file in the temporary directory, open read-only in fd[0], its path in `path`,
    /// read once so it is in the page cache. Removed with the fixture.
    static func cachedFile() throws -> Fixture {
        let f = Fixture()
        let dir = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
        var template = Array("\(dir)/syscost-XXXXXX".utf8CString)
        let fd = mkstemp(&template)
        guard fd >= 0 else { throw SysCostError.system("creating a file in \(dir)", errno) }
        let path = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        f.onDeinit { unlink(path) }
        let page = [UInt8](repeating: 0x5a, count: 4096)
        let written = page.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        guard written == 4096 else { throw SysCostError.system("writing \(path)", errno) }
        try f.adopt(open(path, O_RDONLY | O_CLOEXEC), slot: .first)
        f.ctx.pointee.path = f.cString(path)
        f.ctx.pointee.buf = f.buffer(256)
        f.ctx.pointee.len = 256
        var warm = [UInt8](repeating: 0, count: 4096)
        _ = pread(f.fd0, &warm, warm.count, 0)
        return f
    }

    /// A pipe: read end in fd[0], write end in fd[1]; a pollfd for the read end in `aux`.
    static func pipe() throws -> Fixture {
        let f = Fixture()
        var fds: [Int32] = [-1, -1]
        guard sc_pipe2(&fds, O_CLOEXEC) == 0 else { throw SysCostError.system("pipe2", errno) }
        try f.adopt(fds[0], slot: .first)
        try f.adopt(fds[1], slot: .second)
        f.ctx.pointee.buf = f.buffer(64)
        f.ctx.pointee.len = 64
        let pfd = f.buffer(MemoryLayout<pollfd>.stride).bindMemory(to: pollfd.self, capacity: 1)
        pfd.pointee = pollfd(fd: fds[0], events: Int16(POLLIN), revents: 0)
        f.ctx.pointee.aux = UnsafeMutableRawPointer(pfd)
        return f
    }

    /// A pipe plus an epoll instance (fd[2]) watching its read end; events buffer in `aux`.
    static func epoll() throws -> Fixture {
        let f = try pipe()
        let ep = try f.adopt(epoll_create1(Int32(EPOLL_CLOEXEC)), slot: .third)
        var ev = epoll_event()
        ev.events = EPOLLIN.rawValue
        ev.data.fd = f.fd0
        guard epoll_ctl(ep, EPOLL_CTL_ADD, f.fd0, &ev) == 0 else { throw SysCostError.system("epoll_ctl", errno) }
        f.ctx.pointee.aux = f.buffer(MemoryLayout<epoll_event>.stride * 4)
        return f
    }

    static func eventfd() throws -> Fixture {
        let f = Fixture()
        try f.adopt(CSysCost.eventfd(0, Int32(EFD_CLOEXEC)), slot: .first)
        f.ctx.pointee.buf = f.buffer(64)
        f.ctx.pointee.len = 64
        let one = f.buffer(8)
        one.storeBytes(of: UInt64(1), as: UInt64.self)
        f.ctx.pointee.aux = one
        return f
    }

    /// A connected AF_UNIX stream pair: fd[0] receives, fd[1] sends.
    static func socketPair() throws -> Fixture {
        let f = Fixture()
        var fds: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds) == 0 else {
            throw SysCostError.system("socketpair", errno)
        }
        try f.adopt(fds[0], slot: .first)
        try f.adopt(fds[1], slot: .second)
        f.ctx.pointee.buf = f.buffer(64)
        f.ctx.pointee.len = 64
        return f
    }

    /// A scratch buffer of `size` bytes and nothing else.
    static func scratch(_ size: Int = 512) -> Fixture {
        let f = Fixture()
        f.ctx.pointee.buf = f.buffer(size)
        f.ctx.pointee.len = size
        return f
    }

    /// A scratch buffer and a clock id in arg[0].
    static func clock(_ id: clockid_t) -> Fixture {
        let f = scratch(64)
        f.ctx.pointee.arg.0 = Int(id)
        return f
    }

    /// One page mapped read-write between two PROT_NONE guard pages, for mprotect. The guards
    /// fix its neighbours: a lone anonymous page merges with whatever read-write mapping
    /// happens to lie next to it in this process, so toggling it split and re-merged a VMA of
    /// another size in every run (back-to-back checks of the same kernel read 3250 and
    /// 3630 ns, and one run had both). Between guards it is a VMA of its own, always.
    static func page() throws -> Fixture {
        let f = Fixture()
        guard let p = mmap(nil, 3 * 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
              p != MAP_FAILED else { throw SysCostError.system("mmap", errno) }
        f.onDeinit { munmap(p, 3 * 4096) }
        let page = p + 4096
        guard mprotect(page, 4096, PROT_READ | PROT_WRITE) == 0 else { throw SysCostError.system("mprotect", errno) }
        f.ctx.pointee.page = page
        return f
    }

    /// Pages the madvise-fault benchmark drops and faults back per op.
    static let faultPageCount = 16

    /// `faultPageCount` anonymous pages, touched once: `page` and `len` describe them.
    static func faultPages() throws -> Fixture {
        let f = Fixture()
        let size = faultPageCount * 4096
        guard let p = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
              p != MAP_FAILED else { throw SysCostError.system("mmap", errno) }
        f.onDeinit { munmap(p, size) }
        memset(p, 1, size)
        f.ctx.pointee.page = p
        f.ctx.pointee.len = size
        return f
    }
}

/// Check helpers: each throws a `CheckFailure` naming what disagreed.
enum Expect {
    static func equal<T: Equatable>(_ raw: T, _ libc: T, _ what: String) throws {
        guard raw == libc else { throw CheckFailure("\(what): raw returned \(raw), libc \(libc)") }
    }

    /// A raw return that must equal a libc call's result, where libc's -1/errno is the raw -errno.
    static func sameResult(_ raw: Int, libc: Int, errno libcErrno: Int32, _ what: String) throws {
        let expected = libc == -1 ? -Int(libcErrno) : libc
        try equal(raw, expected, what)
    }

    static func that(_ condition: Bool, _ message: @autoclosure () -> String) throws {
        guard condition else { throw CheckFailure(message()) }
    }

    /// `equal` on the lowest free descriptor two calls take, tried up to three times: another
    /// thread of the process (a test runner's) may open or close one between the two calls.
    /// A call that takes none never agrees.
    static func sameDescriptor(_ pair: () -> (raw: Int, libc: Int), _ what: String) throws {
        var last = pair()
        for _ in 0..<2 where last.raw != last.libc { last = pair() }
        try equal(last.raw, last.libc, what)
    }
}
