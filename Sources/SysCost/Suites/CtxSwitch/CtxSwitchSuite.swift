import CSysCost
import Foundation
import SysCostModel
import SysCostSuites

/// Suite `ctxswitch`: two tasks hand a token back and forth, so every round trip makes the CPU
/// switch twice. `<transport>-<process|thread>/<same-cpu|cross-cpu>`: a forked process or a
/// thread (no address-space switch); both on the measuring CPU (forced switches) or the peer
/// on another CPU (wake-up latency). Results are ns per switch (round trip / 2); the context
/// switches both tasks made are counted (perf software counter) and checked against 2.
/// `<transport>/no-switch` is the same syscalls in one task, lmbench lat_ctx style: what the
/// transport itself costs, subtracted for the net switch cost.
struct CtxSwitchSuite: Suite {
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

    static func noSwitchID(_ t: PingPong.Transport, _ workingSet: Int) -> BenchmarkID {
        BenchmarkID(.ctxswitch, t.rawValue, CtxSwitchDescriptor.noSwitch, workingSet: workingSet)
    }

    func benchmarks(_ setup: CatalogSetup) -> [Benchmark] {
        var list: [Benchmark] = []
        for t in PingPong.Transport.allCases {
            list.append(Self.noSwitch(t, workingSet: 0))
            for kind in [PingPong.Kind.process, .thread] where t != .pipeLibc || kind == .process {
                for cross in t == .yield || t == .pipeLibc ? [false] : [false, true] {
                    list.append(Self.pingPong(t, kind, crossCPU: cross, workingSet: 0, cpus: setup.allowedCPUs))
                }
            }
        }
        for w in setup.workingSets {
            list.append(Self.noSwitch(.pipe, workingSet: w))
            for kind in [PingPong.Kind.process, .thread] {
                list.append(Self.pingPong(.pipe, kind, crossCPU: false, workingSet: w, cpus: setup.allowedCPUs))
            }
        }
        return list
    }

    static func pingPong(_ t: PingPong.Transport, _ kind: PingPong.Kind, crossCPU: Bool, workingSet: Int,
                         cpus: [Int]) -> Benchmark {
        let placement = crossCPU ? CtxSwitchDescriptor.crossCPU : CtxSwitchDescriptor.sameCPU
        var what = "\(t == .pipeLibc ? "pipe (through glibc's read/write)" : t.rawValue) ping-pong with a \(kind == .process ? "forked process" : "thread") "
            + (crossCPU ? "on another CPU (wake-up latency)" : "on the same CPU (two forced switches per round trip)")
        if workingSet > 0 { what += ", each side touching \(ByteSize.label(workingSet))B between switches" }
        var b = Benchmark(
            BenchmarkID(.ctxswitch, "\(t.rawValue)-\(kind.rawValue)", placement, workingSet: workingSet),
            category: .communication, syscallsPerOp: t == .yield ? 1 : 2, description: what,
            fixture: {
                let f = Fixture()
                f.ctx.pointee.buf = f.buffer(64)
                let here = Int(sc_sched_getcpu())
                let cpu: Int
                if crossCPU {
                    guard let other = cpus.first(where: { $0 != here }) else {
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
        b.unit = .nsPerSwitch
        b.perOp = 2
        b.relations = [Relation(.transport, noSwitchID(t, workingSet))]
        b.startsThreads = kind == .thread
        return b
    }

    /// The transport's syscalls for one round trip, both ends in one task: nothing blocks.
    static func noSwitch(_ t: PingPong.Transport, workingSet: Int) -> Benchmark {
        Benchmark(
            noSwitchID(t, workingSet), category: .communication,
            syscallsPerOp: t == .futex ? 6 : (t == .yield ? 2 : 4),
            description: "the \(t.rawValue) round trip's syscalls in one task, no switch"
                + (workingSet > 0 ? ", touching both sides' \(ByteSize.label(workingSet))B" : ""),
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
}
