import CSysCost
import Foundation
@testable import SysCost
@testable import SysCostModel
@testable import SysCostAnalysis
@testable import SysCostRender
import Testing

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
                             "--seccomp", spec, "--repetitions", "3", "--min-batch-time", "1", "--warmup", "0",
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
        #expect(r.stderr.contains("--seccomp takes a number of instructions"))
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
                             "--seccomp-ab", "1000", "--repetitions", "9", "--min-batch-time", "2", "--warmup", "0", "--output", path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("What the seccomp filter '1000' adds"), "\(r.stdout)")
        let report = try RunReport.decode(try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(report.config.seccompAB == "1000")
        let getppid = try #require(report.result("syscall/getppid/raw")?.filterCost)
        #expect(getppid.excludes(0) && getppid.value > 0, "\(getppid)")
        let vdso = try #require(report.result("vdso/clock_gettime-monotonic/vdso")?.filterCost)
        #expect(vdso.value < getppid.value / 2, "vDSO \(vdso) against getppid \(getppid)")
        // A ping-pong's peer cannot be shared with a twin: measured plainly, said so.
        #expect(report.result("ctxswitch/pipe-process/same-cpu")?.filterCost == nil)
        #expect(r.stdout.contains("not measured with the filter"))
        let both = try CLI.run(["run", "syscall/getppid/raw", "--seccomp", "10", "--seccomp-ab", "10"])
        #expect(both.status == 2 && both.stderr.contains("give one"))
    }
}
