import CSysCost
import Foundation
import SysCostModel
import SysCostSuites

/// Suite `io`'s measuring side: read and write of the cached pattern file by size, and select,
/// poll and epoll_wait over many eventfds (ready: a count of 1 that nothing reads; idle: 0).
/// Each check proves the call did its work: the bytes read are the file's, a write lands in the
/// file, a ready set reports every descriptor, and an idle set reports the one descriptor the
/// check makes ready.
struct IOSuite: Suite {
    typealias D = IODescriptor
    typealias Op = @Sendable (UnsafeMutablePointer<sc_ctx>) -> Int
    typealias Check = @Sendable (Fixture) throws -> Void

    func benchmarks(_ setup: CatalogSetup) -> [Benchmark] {
        var list = D.sizes.flatMap { size -> [Benchmark] in
            let label = "\(size / 4096) page\(size == 4096 ? "" : "s") (\(ByteSize.label(size))B)"
            return [
                Benchmark(D.read(size), category: .fileManagement, description: "pread of \(label) at offset 0 of a cached tmpfs file",
                          fixture: { try Self.fileFixture(size) }, loop: sc_loop_pread_size, check: Self.readCheck(sc_op_pread_size)),
                Benchmark(D.write(size), category: .fileManagement,
                          description: "pwrite of \(label) at offset 0 of a cached tmpfs file (the bytes it holds: pages already there)",
                          fixture: { try Self.fileFixture(size) }, loop: sc_loop_pwrite_size, check: Self.writeCheck(sc_op_pwrite_size)),
            ]
        }
        list.append(Benchmark(D.sendRecvBig, category: .communication, syscallsPerOp: 2,
                              description: "send 96,000 bytes over an AF_UNIX stream pair and receive them, in one task (LEBench's big send and recv)",
                              fixture: Self.socketFixture, loop: sc_loop_send_recv_size, check: Self.sendRecvCheck(sc_op_send_recv_size)))
        for count in D.descriptorCounts {
            for ready in [true, false] {
                let state = ready ? "ready (eventfds holding a count)" : "idle (eventfds at 0)"
                for (call, loop, op) in [("select", sc_loop_select_many, sc_op_select_many), ("poll", sc_loop_poll_many, sc_op_poll_many),
                                         ("epoll_wait", sc_loop_epoll_many, sc_op_epoll_many)]
                    as [(String, sc_loop_fn, @Sendable (UnsafeMutablePointer<sc_ctx>) -> Int)] {
                    list.append(Benchmark(D.waiting(call, count, ready: ready), category: .communication,
                                          description: "\(call) over \(count) descriptors, all \(state), zero timeout",
                                          fixture: { try ManyDescriptors.fixture(count: count, ready: ready) }, loop: loop,
                                          check: ManyDescriptors.check(op, ready: ready)))
                }
            }
        }
        return list
    }

    /// The pattern file, and a buffer of `bytes` holding its contents (what a write writes back).
    static func fileFixture(_ bytes: Int) throws -> Fixture {
        let f = try PatternFile.fixture(bytes)
        let buf = f.buffer(bytes)
        PatternFile.fill(buf, bytes)
        f.ctx.pointee.buf = buf
        return f
    }

    /// An AF_UNIX stream pair (fd[0] receives, fd[1] sends) with buffers for 96,000 bytes in flight.
    static func socketFixture() throws -> Fixture {
        let f = try Fixtures.socketPair()
        var size: Int32 = 1 << 20
        setsockopt(f.fd1, SOL_SOCKET, SO_SNDBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        setsockopt(f.fd0, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        let bytes = D.sendRecvBig.workingSet!
        f.ctx.pointee.len = bytes
        f.ctx.pointee.buf = f.buffer(bytes)
        f.ctx.pointee.page = f.buffer(bytes)
        memset(f.ctx.pointee.buf, 0x5a, bytes)
        return f
    }

    static func sendRecvCheck(_ op: @escaping Op) -> Check { { f in
        let bytes = f.ctx.pointee.len
        memset(f.ctx.pointee.page, 0, bytes)
        try Expect.equal(op(f.ctx), bytes, "bytes sent and received")
        try Expect.equal(f.ctx.pointee.page.load(fromByteOffset: bytes - 1, as: UInt8.self), 0x5a, "the last byte received")
    } }

    static func readCheck(_ op: @escaping Op) -> Check { { f in
        let bytes = f.ctx.pointee.len
        memset(f.ctx.pointee.buf, 0, bytes)
        try Expect.equal(op(f.ctx), bytes, "bytes read")
        let read = UnsafeRawBufferPointer(start: f.ctx.pointee.buf, count: bytes)
        for page in Swift.stride(from: 0, to: bytes / 4096, by: max(1, bytes / 4096 / 64)) {
            try Expect.equal(read[page * 4096 + 4095], PatternFile.byte(page: page), "the last byte of page \(page)")
        }
        try Expect.equal(read[bytes - 1], PatternFile.byte(page: bytes / 4096 - 1), "the last byte read")
    } }

    static func writeCheck(_ op: @escaping Op) -> Check { { f in
        let bytes = f.ctx.pointee.len, fd = f.fd0
        var zero: UInt8 = 0, back: UInt8 = 0, last = PatternFile.byte(page: bytes / 4096 - 1)
        try Expect.equal(pwrite(fd, &zero, 1, off_t(bytes - 1)), 1, "clearing the last byte first")
        defer { _ = pwrite(fd, &last, 1, off_t(bytes - 1)) }  // the file is every fixture's
        try Expect.equal(op(f.ctx), bytes, "bytes written")
        try Expect.equal(pread(fd, &back, 1, off_t(bytes - 1)), 1, "reading the last byte back")
        try Expect.equal(back, PatternFile.byte(page: bytes / 4096 - 1), "the last byte, as the write left it")
    } }
}
