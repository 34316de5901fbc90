import CSysCost
import Foundation

/// Suite `indirect`: what a syscall costs the user code that runs after it — cache, TLB and
/// predictor state the kernel displaced (FlexSC, OSDI'10). A pointer chase through W bytes
/// (one cache line per step, a random cycle so no prefetcher helps) issues a syscall every
/// `steps` lines; the same chase without the syscall is the baseline. What the syscall adds
/// beyond its own direct cost (the hot-loop figure from the syscall suite) is its indirect cost.
enum IndirectSuite {
    static let suite = "indirect"
    static let steps = 64
    static let workingSets = [4 << 10, 16 << 10, 64 << 10, 256 << 10, 1 << 20, 4 << 20, 8 << 20]
    /// variant → (loop, the syscall-suite benchmark whose median is the direct cost)
    static let calls: [(variant: String, loop: sc_loop_fn, direct: String)] = [
        ("getppid", sc_loop_walk_getppid, "syscall/getppid/raw"),
        ("stat", sc_loop_walk_stat, "syscall/stat/raw"),
    ]

    static func label(_ bytes: Int) -> String {
        bytes >= 1 << 20 ? "\(bytes >> 20)M" : "\(bytes >> 10)K"
    }

    /// A random cyclic chain through the cache lines of a `bytes`-byte buffer. The buffer is
    /// its own mapping of 4 KiB pages (no transparent huge pages), and the baseline and the
    /// with-syscall walks of one working set share it, so they see the same physical pages.
    final class Chain {
        let bytes: Int
        let base: UnsafeMutableRawPointer
        let start: UnsafeMutableRawPointer

        init(bytes: Int) throws {
            self.bytes = bytes
            let lines = bytes / 64
            guard let mapped = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
                  mapped != MAP_FAILED else { throw SysCostError.system("mapping \(label(bytes))B", errno) }
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

        private static var shared: [Int: Weak] = [:]
        private struct Weak { weak var chain: Chain? }

        /// The chain of this size that other fixtures of the run already use, or a new one.
        static func shared(bytes: Int) throws -> Chain {
            if let chain = shared[bytes]?.chain { return chain }
            let chain = try Chain(bytes: bytes)
            shared[bytes] = Weak(chain: chain)
            return chain
        }

        /// Points `f` at the chain (its own cursor in `aux`) and keeps the chain alive with it.
        func attach(to f: Fixture) {
            f.ctx.pointee.aux = start
            f.ctx.pointee.arg.0 = IndirectSuite.steps
            f.onDeinit { withExtendedLifetime(self) {} }
        }
    }

    /// One untimed pass over the whole buffer: each batch starts with it as warm as the
    /// batch before left it for another benchmark.
    static func warmPass(_ bytes: Int) -> (Fixture) -> Void {
        { f in sc_loop_walk_none(f.ctx, UInt64(max(bytes / 64 / steps, 1))) }
    }

    static var benchmarks: [Benchmark] {
        workingSets.flatMap { w -> [Benchmark] in
            let name = "walk-\(label(w))"
            var none = Benchmark(
                suite: suite, name: name, variant: "none", category: .processControl, syscallsPerOp: 0,
                description: "\(steps) dependent loads in \(label(w))B, no syscall (baseline)",
                fixture: { let f = Fixture(); try Chain.shared(bytes: w).attach(to: f); return f }, loop: sc_loop_walk_none, check: { _ in })
            none.beforeBatch = warmPass(w)
            return [none] + calls.map { call in
                var b = Benchmark(
                    suite: suite, name: name, variant: call.variant,
                    category: call.variant == "stat" ? .fileManagement : .processControl, syscallsPerOp: 1,
                    description: "\(steps) dependent loads in \(label(w))B, then one \(call.variant)",
                    fixture: {
                        let f = call.variant == "stat" ? try Fixtures.cachedFile() : Fixture()
                        try Chain.shared(bytes: w).attach(to: f)
                        return f
                    },
                    loop: call.loop,
                    check: { f in
                        if call.variant == "stat" { try Expect.equal(sc_op_stat_raw(f.ctx), 0, "stat") }
                    })
                b.beforeBatch = warmPass(w)
                b.requires = ["\(suite)/\(name)/none", call.direct]
                return b
            }
        }
    }

    /// Fills `indirect` on each with-syscall result: (with − baseline) − direct, and warns
    /// when that difference is within the three medians' confidence intervals.
    static func annotate(_ results: inout [BenchmarkResult]) {
        let summaries = Dictionary(results.compactMap { r in r.summary.map { (r.id, $0) } }, uniquingKeysWith: { a, _ in a })
        let medians = summaries.mapValues(\.median)
        func halfWidth(_ id: String) -> Double { summaries[id].map { ($0.ci95High - $0.ci95Low) / 2 } ?? 0 }
        for i in results.indices where results[i].suite == suite {
            let parts = results[i].id.split(separator: "/")
            guard parts.count == 3, parts[2] != "none", let with = results[i].summary?.median,
                  let call = calls.first(where: { $0.variant == parts[2] }),
                  let baseline = medians["\(suite)/\(parts[1])/none"], let direct = medians[call.direct] else { continue }
            let extra = with - baseline - direct
            results[i].indirect = IndirectCost(baselineNs: baseline, directNs: direct, extraNs: extra)
            let noise = halfWidth(results[i].id) + halfWidth("\(suite)/\(parts[1])/none") + halfWidth(call.direct)
            let noisiest = [results[i].id, "\(suite)/\(parts[1])/none", call.direct].compactMap { summaries[$0]?.cv }.max() ?? 0
            if abs(extra) <= noise {
                results[i].warnings.append(String(format: "within-noise: the indirect cost %.1f ns is inside the medians' combined 95%% intervals (±%.1f ns)", extra, noise))
            } else if noisiest > 0.10 {
                results[i].warnings.append(String(format: "within-noise: an input of the indirect cost has CV %.0f%%", noisiest * 100))
            }
        }
    }
}

/// What one syscall in the walk cost beyond the walk itself and its own hot-loop cost.
public struct IndirectCost: Codable, Equatable {
    /// The walk without the syscall, per iteration.
    public var baselineNs: Double
    /// The syscall alone in a hot loop (syscall suite).
    public var directNs: Double
    /// (walk with syscall) − baseline − direct: the syscall's indirect cost.
    public var extraNs: Double
}

/// A small seeded generator, so the chase order is the same in every run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
