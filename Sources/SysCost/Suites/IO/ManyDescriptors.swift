import CSysCost
import Foundation
import SysCostModel

/// The io suite's sets of many descriptors: `count` eventfds, ready (each holding a count that
/// nothing reads) or idle (0), shown to the three calls: a select set (fd_set bits, as big as
/// the highest descriptor needs: the raw call takes any size), pollfds, and an epoll set with
/// room for every event.
enum ManyDescriptors {
    static func fixture(count: Int, ready: Bool) throws -> Fixture {
        try ensureDescriptors(count)
        let f = Fixture()
        var fds: [Int32] = []
        for _ in 0..<count {
            let fd = eventfd(ready ? 1 : 0, Int32(EFD_CLOEXEC | EFD_NONBLOCK))
            guard fd >= 0 else { throw SysCostError.system("eventfd", errno) }
            f.onDeinit { close(fd) }
            fds.append(fd)
        }
        let top = Int(fds.max()!) + 1
        let setBytes = (top + 63) / 64 * 8
        let template = f.buffer(setBytes)
        let bits = template.bindMemory(to: UInt8.self, capacity: setBytes)
        for fd in fds { bits[Int(fd) / 8] |= UInt8(1 << (fd % 8)) }
        f.ctx.pointee.buf = template
        f.ctx.pointee.page = f.buffer(setBytes)
        f.ctx.pointee.len = setBytes
        let pollfds = f.buffer(count * MemoryLayout<pollfd>.stride).bindMemory(to: pollfd.self, capacity: count)
        for (i, fd) in fds.enumerated() { pollfds[i] = pollfd(fd: fd, events: Int16(POLLIN), revents: 0) }
        let ep = try f.adopt(epoll_create1(Int32(EPOLL_CLOEXEC)), slot: .third)
        for fd in fds {
            var ev = epoll_event()
            ev.events = EPOLLIN.rawValue
            ev.data.fd = fd
            guard epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) == 0 else { throw SysCostError.system("epoll_ctl", errno) }
        }
        f.ctx.pointee.arg.0 = top
        f.ctx.pointee.arg.1 = count
        f.ctx.pointee.aux = UnsafeMutableRawPointer(pollfds)
        f.ctx.pointee.touch = f.buffer(max(count, 1) * MemoryLayout<epoll_event>.stride)
        f.ctx.pointee.peer_touch = f.buffer(16)  // a zero timeval / timespec
        return f
    }

    /// At least `count` more descriptors can be opened: the soft limit raised toward the hard
    /// one when it is short, else a skip saying so.
    static func ensureDescriptors(_ count: Int) throws {
        var limit = rlimit()
        getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 64
        let needed = rlim_t(open + count + 64)
        guard limit.rlim_cur < needed else { return }
        guard limit.rlim_max >= needed else {
            throw Skip("\(count) descriptors need a limit of \(needed) open files; the hard limit is \(limit.rlim_max)")
        }
        limit.rlim_cur = needed
        guard setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0 else {
            throw SysCostError.system("raising the open-file limit", errno)
        }
    }

    /// A ready set reports every descriptor; an idle one reports none, then exactly the one the
    /// check makes ready (so a call that did nothing cannot pass).
    static func check(_ op: @escaping @Sendable (UnsafeMutablePointer<sc_ctx>) -> Int, ready: Bool) -> @Sendable (Fixture) throws -> Void {
        { f in
            let count = f.ctx.pointee.arg.1
            try Expect.equal(op(f.ctx), ready ? count : 0, "descriptors reported ready")
            guard !ready else { return }
            let pollfds = f.ctx.pointee.aux.assumingMemoryBound(to: pollfd.self)
            let one = pollfds[count / 2].fd
            eventfd_write(one, 1)
            defer { var value: eventfd_t = 0; eventfd_read(one, &value) }
            try Expect.equal(op(f.ctx), 1, "descriptors reported ready once one of them is")
        }
    }
}
