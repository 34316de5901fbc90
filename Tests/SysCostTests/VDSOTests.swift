import CSysCost
import Foundation
@testable import SysCost
@testable import SysCostModel
@testable import SysCostAnalysis
@testable import SysCostRender
import Testing
import SysCostTestSupport

@Suite struct VDSOTests {
    func resolve(_ name: String) throws -> UnsafeRawPointer {
        let image = try VDSOImage.current()
        return try #require(try image.address(of: VDSOImage.symbolPrefix + name), "\(name) not resolved")
    }

    @Test func resolvedClockGettimeAgreesWithLibc() throws {
        let f = Fixtures.clock(CLOCK_MONOTONIC)
        f.ctx.pointee.fn = try resolve("clock_gettime")
        var before = timespec(), after = timespec()
        clock_gettime(CLOCK_MONOTONIC, &before)
        #expect(sc_op_clock_gettime_vdso(f.ctx) == 0)
        clock_gettime(CLOCK_MONOTONIC, &after)
        let t = f.ctx.pointee.buf.load(as: timespec.self)
        func ns(_ t: timespec) -> Int { t.tv_sec * 1_000_000_000 + t.tv_nsec }
        #expect(ns(before) <= ns(t) && ns(t) <= ns(after))
    }

    @Test func resolvedGettimeofdayTimeAndGetcpuAgreeWithLibc() throws {
        let f = Fixtures.scratch(64)
        f.ctx.pointee.fn = try resolve("gettimeofday")
        var tv = timeval()
        gettimeofday(&tv, nil)
        #expect(sc_op_gettimeofday_vdso(f.ctx) == 0)
        #expect(abs(f.ctx.pointee.buf.load(as: timeval.self).tv_sec - tv.tv_sec) <= 1)

        f.ctx.pointee.fn = try resolve("time")
        #expect(abs(sc_op_time_vdso(f.ctx) - time(nil)) <= 1)

        f.ctx.pointee.fn = try resolve("getcpu")
        try CPUSet.withPinned(to: CPUSet.allowed().last!) {
            #expect(sc_op_getcpu_vdso(f.ctx) == 0)
            #expect(Int32(f.ctx.pointee.buf.load(as: UInt32.self)) == sc_sched_getcpu())
        }
    }

    @Test func versionsAndUnknownNames() throws {
        let image = try VDSOImage.current()
        let symbol = try #require(try image.lookup(VDSOImage.symbolPrefix + "clock_gettime", version: nil))
        #expect(symbol.version == VDSOImage.kernelVersion)
        #expect(symbol.isFunction)
        #expect(try image.address(of: VDSOImage.symbolPrefix + "clock_gettime", version: "LINUX_9.9") == nil)
        #expect(try image.address(of: "no_such_symbol") == nil)
        #expect(try image.symbols().contains { $0.name == VDSOImage.symbolPrefix + "gettimeofday" })
    }

    /// A copy of the live image, parsed from a buffer, finds the same symbols at the same offsets.
    @Test func copyParsesLikeTheLiveImage() throws {
        let live = try VDSOImage.current()
        let copy = Array(live.bytes)
        try copy.withUnsafeBytes { raw in
            let parsed = try VDSOImage(bytes: raw)
            #expect(try parsed.symbols() == (try live.symbols()))
        }
    }

    /// Broken headers are refused with an error, never a crash.
    @Test(arguments: [
        ("truncated to 40 bytes", { @Sendable (b: inout [UInt8]) in b.removeLast(b.count - 40) }),
        ("bad magic", { (b: inout [UInt8]) in b[1] = 0x46 }),
        ("32-bit class", { (b: inout [UInt8]) in b[4] = 1 }),
        ("program headers beyond the end", { (b: inout [UInt8]) in Self.put64(&b, 32, 0xffff_ff00) }),
        ("tiny program header entries", { (b: inout [UInt8]) in b[54] = 8; b[55] = 0 }),
        ("no program headers", { (b: inout [UInt8]) in b[56] = 0; b[57] = 0 }),
        ("dynamic section beyond the end", { (b: inout [UInt8]) in Self.corruptDynamic(&b, offset: 0x7fff_0000) }),
        ("symbol table beyond the end", { (b: inout [UInt8]) in Self.corruptTag(&b, tag: 6, value: 0x1000_0000) }),
        ("string table beyond the end", { (b: inout [UInt8]) in Self.corruptTag(&b, tag: 5, value: 0x1000_0000) }),
        ("hash tables beyond the end", { (b: inout [UInt8]) in
            Self.corruptTag(&b, tag: 0x6fff_fef5, value: 0x1000_0000); Self.corruptTag(&b, tag: 4, value: 0x1000_0000) }),
        ("all zeros after the ELF header", { (b: inout [UInt8]) in for i in 64..<b.count { b[i] = 0 } }),
    ] as [(String, @Sendable (inout [UInt8]) -> Void)])
    func malformedImageIsRefused(what: String, corrupt: @Sendable (inout [UInt8]) -> Void) throws {
        var bytes = Array(try VDSOImage.current().bytes)
        corrupt(&bytes)
        let refused: Bool = bytes.withUnsafeBytes { raw in
            do {
                let image = try VDSOImage(bytes: raw)
                _ = try image.symbols()
                _ = try image.address(of: VDSOImage.symbolPrefix + "clock_gettime")
                return false
            } catch { return true }
        }
        #expect(refused, "\(what) was accepted")
    }

    static func put64(_ b: inout [UInt8], _ at: Int, _ v: UInt64) {
        for i in 0..<8 { b[at + i] = UInt8(truncatingIfNeeded: v >> (8 * UInt64(i))) }
    }
    static func get64(_ b: [UInt8], _ at: Int) -> UInt64 {
        (0..<8).reduce(UInt64(0)) { $0 | UInt64(b[at + $1]) << (8 * UInt64($1)) }
    }

    /// The file offset of PT_DYNAMIC's header.
    static func dynamicHeader(_ b: [UInt8]) -> Int? {
        let phoff = Int(get64(b, 32)), phnum = Int(b[56]) | Int(b[57]) << 8
        return (0..<phnum).map { phoff + $0 * 56 }.first { b[$0] == 2 && b[$0 + 1] == 0 }
    }

    static func corruptDynamic(_ b: inout [UInt8], offset: UInt64) {
        guard let ph = dynamicHeader(b) else { return }
        put64(&b, ph + 8, offset)
    }

    static func corruptTag(_ b: inout [UInt8], tag: UInt64, value: UInt64) {
        guard let ph = dynamicHeader(b) else { return }
        var at = Int(get64(b, ph + 8))
        while at + 16 <= b.count, get64(b, at) != 0 {
            if get64(b, at) == tag { put64(&b, at + 8, value) }
            at += 16
        }
    }
}
