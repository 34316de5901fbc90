import CSysCost
import Foundation
import SysCostModel
import SysCostSuites

/// Suite `vdso`: each time call three ways — glibc's function (which itself uses the vDSO),
/// the vDSO symbol syscost resolved from the ELF image, and the raw syscall — so the table
/// shows what avoiding the kernel saves. Suite `timer`: what a timestamp instruction costs.
struct VDSOSuite: Suite {
    func benchmarks(_ setup: CatalogSetup) -> [Benchmark] { Self.benchmarks }

    /// A call the vDSO offers, with its three loops and a check of the three against each other.
    struct Call: Sendable {
        var name: String
        var symbol: String
        var clock: clockid_t?
        var description: String
        var libc: sc_loop_fn, vdso: sc_loop_fn, syscall: sc_loop_fn
        var ops: (libc: @Sendable (UnsafeMutablePointer<sc_ctx>) -> Int, vdso: @Sendable (UnsafeMutablePointer<sc_ctx>) -> Int,
                  syscall: @Sendable (UnsafeMutablePointer<sc_ctx>) -> Int)
        var check: @Sendable (Call, Fixture) throws -> Void
    }

    static let clocks: [(String, clockid_t)] = [
        ("realtime", CLOCK_REALTIME), ("monotonic", CLOCK_MONOTONIC), ("monotonic-raw", CLOCK_MONOTONIC_RAW),
        ("realtime-coarse", CLOCK_REALTIME_COARSE), ("monotonic-coarse", CLOCK_MONOTONIC_COARSE),
        ("boottime", CLOCK_BOOTTIME), ("tai", CLOCK_TAI),
    ]

    static var calls: [Call] {
        clocks.map { label, id in
            Call(name: "clock_gettime-\(label)", symbol: "clock_gettime", clock: id,
                 description: "clock_gettime(CLOCK_\(label.uppercased().replacingOccurrences(of: "-", with: "_")))",
                 libc: sc_loop_clock_gettime_glibc, vdso: sc_loop_clock_gettime_vdso, syscall: sc_loop_clock_gettime_raw,
                 ops: (sc_op_clock_gettime_glibc, sc_op_clock_gettime_vdso, sc_op_clock_gettime_raw),
                 check: checkClock)
        } + [
            Call(name: "gettimeofday", symbol: "gettimeofday", clock: nil, description: "gettimeofday",
                 libc: sc_loop_gettimeofday_glibc, vdso: sc_loop_gettimeofday_vdso, syscall: sc_loop_gettimeofday_raw,
                 ops: (sc_op_gettimeofday_glibc, sc_op_gettimeofday_vdso, sc_op_gettimeofday_raw)) { call, f in
                     let seconds = try [call.ops.libc, call.ops.vdso, call.ops.syscall].map { op -> Int in
                         try Expect.equal(op(f.ctx), 0, "gettimeofday return")
                         return f.ctx.pointee.buf.load(as: timeval.self).tv_sec
                     }
                     try Expect.that(seconds.max()! - seconds.min()! <= 1, "gettimeofday seconds disagree: \(seconds)")
                 },
            Call(name: "time", symbol: "time", clock: nil, description: "time(NULL)",
                 libc: sc_loop_time_glibc, vdso: sc_loop_time_vdso, syscall: sc_loop_time_raw,
                 ops: (sc_op_time_glibc, sc_op_time_vdso, sc_op_time_raw)) { call, f in
                     let seconds = [call.ops.libc(f.ctx), call.ops.vdso(f.ctx), call.ops.syscall(f.ctx)]
                     try Expect.that(seconds.min()! > 0 && seconds.max()! - seconds.min()! <= 1,
                                     "time() disagrees: libc, vdso, syscall = \(seconds)")
                 },
            Call(name: "getcpu", symbol: "getcpu", clock: nil, description: "getcpu",
                 libc: sc_loop_getcpu_glibc, vdso: sc_loop_getcpu_vdso, syscall: sc_loop_getcpu_raw,
                 ops: (sc_op_getcpu_glibc, sc_op_getcpu_vdso, sc_op_getcpu_raw)) { call, f in
                     let cpus = try [call.ops.libc, call.ops.vdso, call.ops.syscall].map { op -> UInt32 in
                         try Expect.equal(op(f.ctx), 0, "getcpu return")
                         return f.ctx.pointee.buf.load(as: UInt32.self)
                     }
                     try Expect.that(Set(cpus).count == 1, "getcpu disagrees: libc, vdso, syscall = \(cpus)")
                 },
            Call(name: "clock_getres", symbol: "clock_getres", clock: CLOCK_MONOTONIC,
                 description: "clock_getres(CLOCK_MONOTONIC)",
                 libc: sc_loop_clock_getres_glibc, vdso: sc_loop_clock_getres_vdso, syscall: sc_loop_clock_getres_raw,
                 ops: (sc_op_clock_getres_glibc, sc_op_clock_getres_vdso, sc_op_clock_getres_raw)) { call, f in
                     let res = try [call.ops.libc, call.ops.vdso, call.ops.syscall].map { op -> Int in
                         try Expect.equal(op(f.ctx), 0, "clock_getres return")
                         return f.ctx.pointee.buf.load(as: timespec.self).tv_nsec
                     }
                     try Expect.that(Set(res).count == 1, "clock_getres disagrees: libc, vdso, syscall = \(res) ns")
                 },
        ]
    }

    /// libc, vDSO and syscall readings taken in that order lie between two libc readings
    /// (1 ms of slack for the coarse clocks' tick and for realtime adjustments).
    static func checkClock(_ call: Call, _ f: Fixture) throws {
        func read(_ op: (UnsafeMutablePointer<sc_ctx>) -> Int, _ how: String) throws -> Int {
            try Expect.equal(op(f.ctx), 0, "\(how) return")
            let t = f.ctx.pointee.buf.load(as: timespec.self)
            return t.tv_sec * 1_000_000_000 + t.tv_nsec
        }
        let before = try read(call.ops.libc, "libc")
        let vdso = try read(call.ops.vdso, "vdso")
        let syscall = try read(call.ops.syscall, "syscall")
        let after = try read(call.ops.libc, "libc")
        let slack = 1_000_000
        for (how, t) in [("vdso", vdso), ("syscall", syscall)] {
            try Expect.that(t >= before - slack && t <= after + slack,
                            "\(call.description): \(how) reads \(t) ns, outside libc's [\(before), \(after)]")
        }
    }

    static var benchmarks: [Benchmark] {
        let image = Result { try VDSOImage.current() }
        return calls.flatMap { call -> [Benchmark] in
            @Sendable func fixture(resolving: Bool) throws -> Fixture {
                let f = Fixtures.scratch(64)
                if let clock = call.clock { f.ctx.pointee.arg.0 = Int(clock) }
                if resolving {
                    let name = VDSOImage.symbolPrefix + call.symbol
                    guard let fn = try image.get().address(of: name) else {
                        throw CheckFailure("the vDSO does not export \(name)@\(VDSOImage.kernelVersion)")
                    }
                    f.ctx.pointee.fn = fn
                }
                return f
            }
            let syscallForm = BenchmarkID(.vdso, call.name, VDSODescriptor.syscall)
            func make(_ variant: String, _ loop: sc_loop_fn, syscalls: Int, _ what: String) -> Benchmark {
                var b = Benchmark(BenchmarkID(.vdso, call.name, variant), category: .informationMaintenance,
                                  syscallsPerOp: syscalls, description: "\(call.description) \(what)",
                                  fixture: { try fixture(resolving: true) }, loop: loop, check: { try call.check(call, $0) })
                if b.id != syscallForm { b.relations = [Relation(.syscallForm, syscallForm)] }
                return b
            }
            return [make(VDSODescriptor.libc, call.libc, syscalls: 0, "through glibc"),
                    make(VDSODescriptor.vdso, call.vdso, syscalls: 0, "through the vDSO symbol syscost resolved"),
                    make(VDSODescriptor.syscall, call.syscall, syscalls: 1, "as a raw syscall")]
        }
    }
}

/// Suite `timer`: the bare timestamp instructions, what any timed region pays.
struct TimerSuite: Suite {
    func benchmarks(_ setup: CatalogSetup) -> [Benchmark] { Self.benchmarks }

    static func timer(_ name: String, _ description: String, _ loop: sc_loop_fn,
                      check: @escaping @Sendable (Fixture) throws -> Void) -> Benchmark {
        Benchmark(BenchmarkID(.timer, name), category: .informationMaintenance, syscallsPerOp: 0,
                  description: description, loop: loop, check: check)
    }

    /// Two reads in a row must advance.
    static func advances(_ op: @escaping @Sendable (UnsafeMutablePointer<sc_ctx>) -> Int, _ name: String) -> @Sendable (Fixture) throws -> Void {
        { f in
            let a = op(f.ctx), b = op(f.ctx)
            try Expect.that(b > a, "\(name) did not advance: \(a) then \(b)")
        }
    }

    static var benchmarks: [Benchmark] {
        #if arch(x86_64)
        let flags = EnvironmentCapture.CPUInfo(HostSystem.live.read("/proc/cpuinfo") ?? "").flags
        var list = [timer("rdtsc", "rdtsc, unfenced", sc_loop_rdtsc, check: advances(sc_op_rdtsc, "rdtsc"))]
        if flags.contains("rdtscp") {
            list.append(timer("rdtscp", "rdtscp (waits for earlier instructions)", sc_loop_rdtscp,
                              check: advances(sc_op_rdtscp, "rdtscp")))
        }
        if flags.contains("rdpid") {
            list.append(timer("rdpid", "rdpid: the CPU number Linux keeps in TSC_AUX", sc_loop_rdpid) { f in
                try Expect.equal(sc_op_rdpid(f.ctx) & 0xfff, Int(sc_sched_getcpu()), "CPU number")
            })
        }
        return list
        #else
        return []
        #endif
    }
}
