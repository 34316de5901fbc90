import CSysCost
import Foundation

/// Suite `ctxswitch`: two tasks hand a token back and forth, so every round trip makes the CPU
/// switch twice. `<transport>-<process|thread>/<same-cpu|cross-cpu>`: a forked process or a
/// thread (no address-space switch); both on the measuring CPU (forced switches) or the peer
/// on another CPU (wake-up latency). Results are ns per switch (round trip / 2); the context
/// switches both tasks made are counted (perf software counter) and checked against 2.
/// `<transport>/no-switch` is the same syscalls in one task, lmbench lat_ctx style: what the
/// transport itself costs, subtracted for the net switch cost.
public enum CtxSwitchSuite {
    static let suite = "ctxswitch"

    /// The working-set sweep (bytes each side touches between switches), `--working-set`.
    nonisolated(unsafe) public static var workingSets = [4 << 10, 16 << 10, 64 << 10, 256 << 10, 1 << 20, 4 << 20]

    static func label(_ bytes: Int) -> String {
        bytes >= 1 << 20 && bytes % (1 << 20) == 0 ? "\(bytes >> 20)M" : bytes % 1024 == 0 ? "\(bytes >> 10)K" : "\(bytes)"
    }

    /// Parses `0,4K,16K,1M` (a bare number is bytes).
    public static func parseSizes(_ text: String) throws -> [Int] {
        try text.split(separator: ",").map { part in
            let s = part.trimmingCharacters(in: .whitespaces).uppercased()
            let (digits, scale): (Substring, Int) = s.hasSuffix("K") ? (s.dropLast(), 1 << 10)
                : s.hasSuffix("M") ? (s.dropLast(), 1 << 20) : (Substring(s), 1)
            guard let n = Int(digits), n >= 0, n * scale <= 1 << 30 else {
                throw SysCostError.usage("--working-set takes sizes like 0,4K,64K,1M up to 1024M (got '\(part)')")
            }
            return n * scale
        }
    }

    static func loop(_ t: PingPong.Transport) -> sc_loop_fn {
        switch t {
        case .pipe, .unix: return sc_loop_pingpong_pipe
        case .pipeLibc: return sc_loop_pingpong_pipe_libc
        case .eventfd: return sc_loop_pingpong_eventfd
        case .futex: return sc_loop_pingpong_futex
        case .yield: return sc_loop_pingpong_yield
        }
    }

    static func noSwitchLoop(_ t: PingPong.Transport) -> sc_loop_fn {
        switch t {
        case .pipe, .unix: return sc_loop_noswitch_pipe
        case .pipeLibc: return sc_loop_noswitch_pipe_libc
        case .eventfd: return sc_loop_noswitch_eventfd
        case .futex: return sc_loop_noswitch_futex
        case .yield: return sc_loop_noswitch_yield
        }
    }

    static func suffix(_ workingSet: Int) -> String { workingSet > 0 ? "@\(label(workingSet))" : "" }
    static func noSwitchId(_ t: PingPong.Transport, _ workingSet: Int) -> String {
        "\(suite)/\(t.rawValue)/no-switch\(suffix(workingSet))"
    }

    public static var benchmarks: [Benchmark] {
        var list: [Benchmark] = []
        for t in PingPong.Transport.allCases {
            list.append(noSwitch(t, workingSet: 0))
            for kind in [PingPong.Kind.process, .thread] where t != .pipeLibc || kind == .process {
                for cross in t == .yield || t == .pipeLibc ? [false] : [false, true] {
                    list.append(pingPong(t, kind, crossCPU: cross, workingSet: 0))
                }
            }
        }
        for w in workingSets where w > 0 {
            list.append(noSwitch(.pipe, workingSet: w))
            for kind in [PingPong.Kind.process, .thread] { list.append(pingPong(.pipe, kind, crossCPU: false, workingSet: w)) }
        }
        return list
    }

    static func pingPong(_ t: PingPong.Transport, _ kind: PingPong.Kind, crossCPU: Bool, workingSet: Int) -> Benchmark {
        let placement = crossCPU ? "cross-cpu" : "same-cpu"
        var what = "\(t == .pipeLibc ? "pipe (through glibc's read/write)" : t.rawValue) ping-pong with a \(kind == .process ? "forked process" : "thread") "
            + (crossCPU ? "on another CPU (wake-up latency)" : "on the same CPU (two forced switches per round trip)")
        if workingSet > 0 { what += ", each side touching \(label(workingSet))B between switches" }
        var b = Benchmark(
            suite: suite, name: "\(t.rawValue)-\(kind.rawValue)", variant: placement + suffix(workingSet),
            category: .communication, syscallsPerOp: t == .yield ? 1 : 2, description: what,
            fixture: {
                let f = Fixture()
                f.ctx.pointee.buf = f.buffer(64)
                let here = Int(sc_sched_getcpu())
                let cpu: Int
                if crossCPU {
                    guard let other = CPUSet.allowedBeforePinning().first(where: { $0 != here }) else {
                        throw Skip("only CPU \(here) is allowed: no other CPU for the peer")
                    }
                    cpu = other
                } else {
                    cpu = here
                }
                _ = try PingPong(t, kind, peerCPU: cpu, workingSet: workingSet, into: f)
                return f
            },
            loop: loop(t),
            check: { f in
                // One round trip must come back.
                loop(t)(f.ctx, 1)
                if f.ctx.pointee.error != 0 {
                    throw CheckFailure("the first round trip failed: \(f.failure?(true) ?? "error \(f.ctx.pointee.error)")")
                }
            })
        if t == .yield {
            b.beforeBatch = { f in sc_set_peer_active(f.ctx.pointee.shared.assumingMemoryBound(to: sc_shared.self), 1) }
            b.afterBatch = { f in sc_set_peer_active(f.ctx.pointee.shared.assumingMemoryBound(to: sc_shared.self), 0) }
        }
        b.unit = "ns/switch"
        b.perOp = 2
        b.requires = [noSwitchId(t, workingSet)]
        return b
    }

    /// The transport's syscalls for one round trip, both ends in one task: nothing blocks.
    static func noSwitch(_ t: PingPong.Transport, workingSet: Int) -> Benchmark {
        Benchmark(
            suite: suite, name: t.rawValue, variant: "no-switch" + suffix(workingSet), category: .communication,
            syscallsPerOp: t == .futex ? 6 : (t == .yield ? 2 : 4),
            description: "the \(t.rawValue) round trip's syscalls in one task, no switch"
                + (workingSet > 0 ? ", touching both sides' \(label(workingSet))B" : ""),
            fixture: {
                let f = Fixture()
                f.ctx.pointee.buf = f.buffer(64)
                if t != .futex && t != .yield {
                    let (aRead, aWrite) = try PingPong.channel(t)
                    let (bRead, bWrite) = try PingPong.channel(t)
                    for fd in Set([aRead, aWrite, bRead, bWrite]) { f.onDeinit { close(fd) } }
                    f.ctx.pointee.fd = (aRead, aWrite, bRead, bWrite)
                }
                let shared = f.buffer(MemoryLayout<sc_shared>.size)
                f.ctx.pointee.shared = shared
                if workingSet > 0 {
                    f.ctx.pointee.touch = f.buffer(workingSet)
                    f.ctx.pointee.peer_touch = f.buffer(workingSet)
                    f.ctx.pointee.touch_len = workingSet
                }
                return f
            },
            loop: noSwitchLoop(t),
            check: { _ in })
    }

    /// Adds round trip, net cost per switch and the switch-count check to each ping-pong result.
    static func annotate(_ results: inout [BenchmarkResult]) {
        let medians = Dictionary(results.compactMap { r in r.summary.map { (r.id, $0.median) } }, uniquingKeysWith: { a, _ in a })
        for i in results.indices where results[i].suite == suite && results[i].unit == "ns/switch" {
            guard let perSwitch = results[i].summary?.median else { continue }
            results[i].roundTripNs = perSwitch * 2
            let parts = results[i].id.split(separator: "/")
            let transport = parts[1].split(separator: "-")[0]
            let size = parts[2].split(separator: "@").dropFirst().first.map { "@\($0)" } ?? ""
            if let overhead = medians["\(suite)/\(transport)/no-switch\(size)"] {
                results[i].switchOverheadNs = overhead
                results[i].netNsPerSwitch = perSwitch - overhead / 2
            }
            if parts[2].hasPrefix("same-cpu"), let perRoundTrip = results[i].counters?["context-switches"]?.perOp,
               perRoundTrip < 1.8 || perRoundTrip > 2.2 {
                results[i].warnings.append(String(format:
                    "switch-count: %.2f context switches per round trip, expected 2 (a peer that spins or a yield that did not switch)",
                    perRoundTrip))
            }
        }
    }
}
