import CSysCost
import Foundation
@testable import SysCost
@testable import SysCostModel
@testable import SysCostAnalysis
@testable import SysCostRender
import Testing
import SysCostTestSupport

@Suite struct SeccompTests {
    @Test func programsHaveTheShapeTheirKindPromises() throws {
        let long = try SeccompFilter(spec: "200").program
        #expect(long.count == 200)
        #expect(long.dropLast().allSatisfy { $0.code == SeccompFilter.ldAbs && $0.k == SeccompFilter.offsetArg0 })
        #expect(long.last?.code == SeccompFilter.ret && long.last?.k == SeccompFilter.allow)

        // Number-only: never loads an argument, so Linux can cache its verdict per syscall.
        let cached = try SeccompFilter(spec: "cached").program
        #expect(!cached.contains { $0.code == SeccompFilter.ldAbs && $0.k >= SeccompFilter.offsetArg0 })

        let docker = SeccompFilter.dockerLike.program
        #expect(docker.count < SeccompFilter.maxInstructions)
        #expect(DockerProfile.allowed.count > 300)
        #expect(!DockerProfile.allowed.contains(165), "mount is denied")
        #expect(DockerProfile.allowed.contains(UInt32(SYS_getppid)))
    }

    @Test(arguments: ["1", "4097", "cache", "", "-5"])
    func badSpecsAreUsageErrors(spec: String) {
        #expect(throws: SysCostError.self) { try SeccompFilter(spec: spec) }
    }

    /// A child with an argument-reading filter pays for it on every getppid; the slope probe
    /// runs in forked children, so this process stays unfiltered.
    @Test func probeChildInstallsTheFilter() throws {
        let cpu = CPUSet.allowed().last!
        let filtered = try SeccompSlope.probe(.argumentReading(instructions: 4096), cpu: cpu)
        let plain = try SeccompSlope.probe(.cached, cpu: cpu)
        #expect(filtered > plain, "4096 instructions on every call cost nothing? \(filtered) vs \(plain) ns")
        let status = try String(contentsOfFile: "/proc/thread-self/status", encoding: .utf8)
        #expect(status.contains("Seccomp:\t0"), "the test process itself is unfiltered")
    }

    /// The CLI installs the filter, records it, and every check (raw vs libc, vDSO vs syscall,
    /// ENOSYS for an unknown number) still holds under it.
    @Test(arguments: ["200", "cached", "docker-like"])
    func runUnderAFilterRecordsIt(spec: String) throws {
        let path = CLI.reportPath("seccomp")
        defer { unlink(path) }
        let r = try CLI.run(["run", "syscall/getppid/*", "syscall/invalid/raw", "vdso/clock_gettime-monotonic/*",
                             "--seccomp-whole-run", spec, "--repetitions", "3", "--min-batch-time", "1", "--warmup", "0",
                             "--output", path])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let report = try RunReport.decode(try Data(contentsOf: URL(fileURLWithPath: path)))
        let seccomp = report.environment.seccomp
        #expect(seccomp.mode == 2)
        #expect(seccomp.filters == 1)
        let installed = try #require(seccomp.installed)
        #expect(installed.spec == spec)
        #expect((installed.slope != nil) == (spec == "200"))
        let failed = report.results.filter { $0.status != .ok }.map(\.id)
        #expect(failed.isEmpty, "failed under the filter: \(failed)")
        #expect(r.stdout.contains("What the kernel entry costs"))
        #expect(r.stdout.contains("seccomp \(spec)"))
    }

    @Test func badSpecExits2() throws {
        let r = try CLI.run(["run", "--seccomp", "lots"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("The value 'lots' is invalid for '--seccomp <spec>'. Please provide one of '2…4096', 'cached' or 'docker-like'"))
    }
}

@Suite struct SeccompABTests {
    /// A 1000-instruction filter measured against none in one run: a filtered twin on the same
    /// CPU times a batch beside each plain one, so the host's phases cancel in the pair. It
    /// adds to every syscall (round by round, an interval clear of zero) and nothing a vDSO
    /// call could show beyond what it adds to getppid; the twin is gone when the run ends.
    @Test func aFilterMeasuredAgainstNoneInOneRun() throws {
        let path = CLI.reportPath("ab")
        defer { unlink(path) }
        let r = try CLI.run(["run", "syscall/getppid/raw", "vdso/clock_gettime-monotonic/vdso", "ctxswitch/pipe-process/same-cpu",
                             "--seccomp", "1000", "--repetitions", "9", "--min-batch-time", "2", "--warmup", "0", "--output", path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("What the seccomp filter '1000' adds"), "\(r.stdout)")
        let report = try RunReport.decode(try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(report.config.ab == .seccomp("1000"))
        let getppid = try #require(report.result("syscall/getppid/raw")?.knobCost)
        #expect(getppid.excludes(0) && getppid.value > 0, "\(getppid)")
        let vdso = try #require(report.result("vdso/clock_gettime-monotonic/vdso")?.knobCost)
        #expect(vdso.value < getppid.value / 2, "vDSO \(vdso) against getppid \(getppid)")
        // A ping-pong's peer cannot be shared with a twin: measured plainly, said so.
        #expect(report.result("ctxswitch/pipe-process/same-cpu")?.knobCost == nil)
        #expect(r.stdout.contains("not measured with the filter"))
        let both = try CLI.run(["run", "syscall/getppid/raw", "--seccomp-whole-run", "10", "--seccomp", "10"])
        #expect(both.status == 2 && both.stderr.contains("give one"))
    }
}

@Suite struct SpeculationABTests {
    /// What this machine's kernel says of indirect-branch control, through the same check `run` makes.
    static let live = SpeculationControl.live.availability(.indirectBranch)

    /// `--speculation indirect-branch` on a same-CPU process ping-pong: where the kernel lets a
    /// task choose, the report says what the control adds per switch, with an interval; where
    /// it does not, the run is refused with exit 2 and the reason, before anything is measured.
    @Test func indirectBranchOnAProcessSwitchOrTheReasonNot() throws {
        let path = CLI.reportPath("speculation")
        defer { unlink(path) }
        let r = try CLI.run(["run", "ctxswitch/pipe-process/same-cpu", "--speculation", "indirect-branch", "--cpu", "0",
                             "--repetitions", "9", "--min-batch-time", "2", "--warmup", "0", "--output", path])
        switch Self.live {
        case .failure(let why):
            #expect(r.status == 2, "\(r.stderr)")
            #expect(r.stderr.contains("--speculation indirect-branch is unavailable here: ") && r.stderr.contains("\(why)"), "\(r.stderr)")
            #expect(!r.stderr.contains("measuring"), "refused before measuring: \(r.stderr)")
        case .success:
            #expect(r.status == 0, "\(r.stderr)")
            let report = try RunReport.decode(try Data(contentsOf: URL(fileURLWithPath: path)))
            #expect(report.config.ab == .speculation(.indirectBranch))
            let added = try #require(report.result("ctxswitch/pipe-process/same-cpu")?.knobCost)
            #expect(added.low != nil && added.rounds == 9, "\(added)")
            #expect(r.stdout.contains("What the indirect-branch speculation disabled adds"), "\(r.stdout)")
        }
        let bad = try CLI.run(["run", "syscall/getppid/raw", "--speculation", "everything"])
        #expect(bad.status == 2 && bad.stderr.contains("The value 'everything' is invalid for '--speculation <control>'. Please provide one of 'store-bypass' and 'indirect-branch'"), "\(bad.stderr)")
        let both = try CLI.run(["run", "syscall/getppid/raw", "--speculation", "store-bypass", "--seccomp", "cached"])
        #expect(both.status == 2 && both.stderr.contains("give one"), "\(both.stderr)")
    }

    /// A kernel that offers the control, stood in for: the runner switches it off around one
    /// batch of every benchmark in every round (ping-pongs included), on again after each, and
    /// back to how it found it at the end; each benchmark gets a paired figure per round.
    @Test func theToggleSwitchesAroundEveryOtherBatchAndRestores() throws {
        final class Kernel: @unchecked Sendable {
            let lock = NSLock()
            var disabled = true  // as the run finds it: disabled
            var calls: [Bool] = []
            func set(_ disable: Bool) -> Int32 { lock.lock(); defer { lock.unlock() }; calls.append(disable); disabled = disable; return 0 }
            func bits() -> Int { lock.lock(); defer { lock.unlock() }; return 1 | (disabled ? 4 : 2) }  // PR_SPEC_PRCTL | state
        }
        let kernel = Kernel()
        var plan = RunPlan(cpu: CPUSet.allowed().first, patterns: [], repetitions: 7, minBatchTimeMs: 1, warmupMs: 0)
        plan.ab = .speculation(.indirectBranch)
        plan.speculationControl = SpeculationControl(get: { _ in kernel.bits() }, set: { _, disable in kernel.set(disable) })
        let benchmarks = try Catalog.select(["syscall/getppid/raw", "ctxswitch/pipe-process/same-cpu"])
        let report = try Runner(plan: plan).run(benchmarks)
        #expect(report.config.ab == .speculation(.indirectBranch))
        for id in ["syscall/getppid/raw", "ctxswitch/pipe-process/same-cpu"] as [BenchmarkID] {
            let added = try #require(report.result(id)?.knobCost, "\(id)")
            #expect(added.rounds == 7, "\(id): \(added)")
        }
        // Enabled for the plain half first, then off/on around each "with" batch, then as found.
        let live = report.results.filter { $0.summary != nil }.count
        #expect(kernel.calls.first == false && kernel.calls.last == true, "\(kernel.calls.prefix(4))…\(kernel.calls.suffix(2))")
        let around = Array(kernel.calls.dropFirst().dropLast())
        #expect(around.count == 2 * 7 * live, "\(around.count) toggles for \(live) benchmarks")
        #expect(zip(around, around.dropFirst()).allSatisfy { $0 != $1 }, "off and on alternate")
        #expect(RunDocument(report).sections.contains { $0.title.hasPrefix("What the indirect-branch speculation disabled adds") })
    }

    /// A control the kernel refuses to disable mid-run: every result keeps its plain figures and
    /// says why it has no pair.
    @Test func aRefusedToggleIsSaid() throws {
        var plan = RunPlan(cpu: CPUSet.allowed().first, patterns: [], repetitions: 6, minBatchTimeMs: 1, warmupMs: 0)
        plan.ab = .speculation(.storeBypass)
        plan.speculationControl = SpeculationControl(get: { _ in 1 | 2 }, set: { _, disable in disable ? EPERM : 0 })
        let report = try Runner(plan: plan).run(try Catalog.select(["syscall/getppid/raw"]))
        let getppid = try #require(report.result("syscall/getppid/raw"))
        #expect(getppid.knobCost == nil && getppid.summary != nil)
        #expect(getppid.warnings.contains { $0.kind == .other && $0.message.contains("store-bypass") && $0.message.contains("Operation not permitted") },
                "\(getppid.warnings)")
    }

    /// Each way a kernel can decline, named.
    @Test func unavailableControlsSayWhy() {
        func why(_ bits: Int, cpuFlags: String = "fpu sse") -> String {
            let control = SpeculationControl(get: { _ in bits }, set: { _, _ in 0 })
            let host = HostSystem(read: { path in
                path == "/proc/cpuinfo" ? "flags\t\t: \(cpuFlags)\n" : path.hasSuffix("spectre_v2") ? "Mitigation: Retpolines; STIBP: disabled" : nil
            }, list: { _ in nil }, perf: .live)
            guard case .failure(let e) = control.availability(.indirectBranch, host: host) else { return "available" }
            return "\(e)"
        }
        #expect(why(-Int(EINVAL)).contains("no per-task speculation control"))
        #expect(why(0).contains("not affected"))
        #expect(why(1 | 8).contains("force-disabled"))
        #expect(why(2).contains("always enabled") && why(2).contains("none of the flags ibpb/stibp") && why(2).contains("STIBP: disabled"))
        #expect(why(2, cpuFlags: "fpu ibpb stibp").contains("spectre_v2_user=prctl"))
        #expect(why(1 | 2) == "available" && why(1 | 4) == "available")
    }
}
