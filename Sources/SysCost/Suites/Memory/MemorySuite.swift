import CSysCost
import Foundation
import SysCostModel
import SysCostSuites

/// Suite `memory`'s measuring side. Each op makes its mapping and tears it down, timing only
/// its own part; each check proves the kernel did the work: a mapping's address is gone after
/// the unmapping, a fault op read the file's bytes or wrote its pages, and the thread's minor
/// fault count grew by at least the faults the op is divided by.
struct MemorySuite: Suite {
    typealias D = MemoryDescriptor
    typealias Op = @Sendable (UnsafeMutablePointer<sc_ctx>) -> Int
    typealias Check = @Sendable (Fixture) throws -> Void

    func benchmarks(_ setup: CatalogSetup) -> [Benchmark] {
        D.sizes.flatMap { size -> [Benchmark] in
            let pages = size / 4096
            let label = "\(pages) page\(pages == 1 ? "" : "s") (\(ByteSize.label(size))B)"
            var fileFault = Benchmark(D.faultFile(size), category: .processControl,
                                      description: "a read fault on a fresh private mapping of a cached tmpfs file of \(label), one read per 64 KiB (the kernel's fault-around maps up to 16 cached pages a fault): per fault, the mapping's set-up untimed",
                                      fixture: { try PatternFile.fixture(size) }, loop: sc_loop_fault_file, check: Self.fileFaultCheck(sc_op_fault_file))
            fileFault.perOp = Double(sc_file_faults(pages))
            var anonFault = Benchmark(D.faultAnon(size), category: .processControl,
                                      description: "a write fault on fresh anonymous memory of \(label), MADV_NOHUGEPAGE: per fault (a page allocated and zeroed)",
                                      fixture: { try PatternFile.fixture(size) }, loop: sc_loop_fault_anon, check: Self.anonFaultCheck(sc_op_fault_anon))
            anonFault.perOp = Double(pages)
            return [
                Benchmark(D.mmapFile(size), category: .processControl,
                          description: "mmap of \(label) of a cached tmpfs file, read-only and private; the munmap after it untimed",
                          fixture: { try PatternFile.privateFixture(size) }, loop: sc_loop_mmap_file, check: Self.mmapCheck(sc_op_mmap_file)),
                Benchmark(D.munmapFile(size), category: .processControl,
                          description: "munmap of \(label) of the file mapped private and writable, every page written (MAP_POPULATE), as LEBench writes each byte; the set-up untimed",
                          fixture: { try PatternFile.privateFixture(size) }, loop: sc_loop_munmap_file, check: Self.munmapCheck(sc_op_munmap_file)),
                fileFault, anonFault,
            ]
        }
    }

    /// Whether the fixture's own file is mapped nowhere any more (its mappings are the op's
    /// alone: another thread may map anything at the address the op freed).
    static func unmapped(_ f: Fixture) -> Bool { !PatternFile.isMapped(f.fd0) }

    static func mmapCheck(_ op: @escaping Op) -> Check { { f in
        f.ctx.pointee.arg.1 = 0
        let address = op(f.ctx)
        try Expect.that(address > 0 && address % 4096 == 0 && address == f.ctx.pointee.arg.1,
                        "mmap returned \(address), not the page-aligned address it made")
        try Expect.that(unmapped(f), "the file is still mapped after the op")
    } }

    static func munmapCheck(_ op: @escaping Op) -> Check { { f in
        f.ctx.pointee.arg.1 = 0
        try Expect.equal(op(f.ctx), 0, "munmap")
        let address = f.ctx.pointee.arg.1
        try Expect.that(address > 0, "the op made no mapping")
        try Expect.that(unmapped(f), "the file is still mapped after munmap")
    } }

    /// Minor faults of the calling thread so far.
    static func minorFaults() -> Int {
        var usage = rusage()
        getrusage(__rusage_who_t(1), &usage)  // RUSAGE_THREAD
        return usage.ru_minflt
    }

    static func fileFaultCheck(_ op: @escaping Op) -> Check { { f in
        let pages = f.ctx.pointee.arg.0, faults = sc_file_faults(pages)
        let expected = Swift.stride(from: 0, to: pages, by: Int(SC_FAULT_AROUND_PAGES)).reduce(0) { $0 + Int(PatternFile.byte(page: $1)) }
        let before = minorFaults()
        try Expect.equal(op(f.ctx), expected, "the sum of the bytes read, one a 64 KiB window")
        let taken = minorFaults() - before
        try Expect.that(taken >= faults, "\(taken) minor faults where \(faults) reads each fault once (a fault-around window over 64 KiB?)")
    } }

    static func anonFaultCheck(_ op: @escaping Op) -> Check { { f in
        let pages = f.ctx.pointee.arg.0
        let before = minorFaults()
        try Expect.equal(op(f.ctx), pages, "pages written")
        try Expect.that(minorFaults() - before >= pages, "\(minorFaults() - before) minor faults for \(pages) pages")
    } }
}
