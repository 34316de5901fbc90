import CSysCost
import Foundation
import SysCostModel
import SysCostSuites
import SysCostStatistics

/// Suite `indirect`: what a syscall costs the user code that runs after it — cache, TLB and
/// predictor state the kernel displaced (FlexSC, OSDI'10). A pointer chase through W bytes
/// (one cache line per step, a random cycle so no prefetcher helps) issues a syscall every
/// `steps` lines; the same chase without the syscall is the baseline. What the syscall adds
/// beyond its own direct cost (the hot-loop figure from the syscall suite) is its indirect cost.
struct IndirectSuite: Suite {
    static let steps = IndirectDescriptor.steps
    static let workingSets = [4 << 10, 16 << 10, 64 << 10, 256 << 10, 1 << 20, 4 << 20, 8 << 20]
    /// variant → (loop, the syscall-suite benchmark whose median is the direct cost)
    static let calls: [(variant: String, loop: sc_loop_fn, direct: BenchmarkID)] = [
        ("getppid", sc_loop_walk_getppid, SyscallDescriptor.getppid),
        ("stat", sc_loop_walk_stat, SyscallDescriptor.stat),
    ]

    /// A random cyclic chain through the cache lines of a `bytes`-byte buffer. The buffer is
    /// its own mapping of 4 KiB pages (no transparent huge pages), and the baseline and the
    /// with-syscall walks of one working set share it, so they see the same physical pages.
    final class Chain: @unchecked Sendable {  // immutable after init; fixtures share it read-only
        let bytes: Int
        let base: UnsafeMutableRawPointer
        let start: UnsafeMutableRawPointer

        init(bytes: Int) throws {
            self.bytes = bytes
            let lines = bytes / 64
            guard let mapped = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
                  mapped != MAP_FAILED else { throw SysCostError.system("mapping \(ByteSize.label(bytes))B", errno) }
            _ = madvise(mapped, bytes, 15)  // MADV_NOHUGEPAGE
            base = UnsafeMutableRawPointer(mapped)
            var order = Array(0..<lines)
            var rng = SplitMix64(seed: UInt64(bytes))
            order.shuffle(using: &rng)
            for i in 0..<lines {
                (base + order[i] * 64).storeBytes(of: base + order[(i + 1) % lines] * 64, as: UnsafeMutableRawPointer.self)
            }
            start = base + order[0] * 64
        }

        deinit { munmap(base, bytes) }

        /// Points `f` at the chain (its own cursor in `aux`) and keeps the chain alive with it.
        func attach(to f: Fixture) {
            f.ctx.pointee.aux = start
            f.ctx.pointee.arg.0 = IndirectSuite.steps
            f.onDeinit { withExtendedLifetime(self) {} }
        }
    }

    /// One untimed pass over the whole buffer: each batch starts with it as warm as the
    /// batch before left it for another benchmark.
    static func warmPass(_ bytes: Int) -> @Sendable (Fixture) -> Void {
        { f in sc_loop_walk_none(f.ctx, UInt64(max(bytes / 64 / steps, 1))) }
    }

    func benchmarks(_ setup: CatalogSetup) -> [Benchmark] {
        Self.workingSets.flatMap { w -> [Benchmark] in
            let name = "walk-\(ByteSize.label(w))"
            // The baseline and the with-syscall walks of one size share one chain, made when
            // the first of them is set up and freed with the last.
            let chains = ChainCache(bytes: w)
            let baselineID = BenchmarkID(.indirect, name, IndirectDescriptor.baselineVariant)
            var none = Benchmark(
                baselineID, category: .processControl, syscallsPerOp: 0,
                description: "\(Self.steps) dependent loads in \(ByteSize.label(w))B, no syscall (baseline)",
                fixture: { let f = Fixture(); try chains.chain().attach(to: f); return f }, loop: sc_loop_walk_none, check: { _ in })
            none.beforeBatch = Self.warmPass(w)
            return [none] + Self.calls.map { call in
                let isStat = call.direct == SyscallDescriptor.stat
                var b = Benchmark(
                    BenchmarkID(.indirect, name, call.variant),
                    category: isStat ? .fileManagement : .processControl, syscallsPerOp: 1,
                    description: "\(Self.steps) dependent loads in \(ByteSize.label(w))B, then one \(call.variant)",
                    fixture: {
                        let f = isStat ? try Fixtures.cachedFile() : Fixture()
                        try chains.chain().attach(to: f)
                        return f
                    },
                    loop: call.loop,
                    check: { f in
                        if isStat { try Expect.equal(sc_op_stat_raw(f.ctx), 0, "stat") }
                    })
                b.beforeBatch = Self.warmPass(w)
                b.relations = [Relation(.baseline, baselineID), Relation(.directCost, call.direct)]
                return b
            }
        }
    }

    /// The chain of one size that the fixtures alive share, or a new one.
    final class ChainCache: @unchecked Sendable {  // its one mutable field is behind `lock`
        let bytes: Int
        private let lock = NSLock()
        private weak var current: Chain?
        init(bytes: Int) { self.bytes = bytes }

        func chain() throws -> Chain {
            lock.lock()
            defer { lock.unlock() }
            if let current { return current }
            let chain = try Chain(bytes: bytes)
            current = chain
            return chain
        }
    }
}
