import Foundation
@testable import SysCost
@testable import SysCostModel
@testable import SysCostAnalysis
@testable import SysCostRender
import Testing
import SysCostTestSupport

/// Boots a Debian kernel under QEMU's TCG emulation with a one-benchmark matrix (about a
/// minute with the build, and it downloads the kernel): opt-in with SYSCOST_SLOW_TESTS=1.
@Suite struct KernelMatrixTests {

    /// Bad usage is refused before anything is installed, built or booted: exit 2, a line naming it.
    @Test func badUsageExits2NamingIt() throws {
        for (args, says) in [(["--accel", "xen", "k"], "--accel takes auto, kvm, tcg or icount (got 'xen')"),
                             (["--accel", "icount", "--cpu-model", "max;reboot", "k"], "--cpu-model takes a qemu CPU model"),
                             (["--accel", "icount", "--boots", "0", "k"], "--boots takes 1 to 99 (got '0')"),
                             (["--accel", "icount", "--cmdline", "a;b", "k"], "--cmdline takes kernel options"),
                             (["--accel", "icount", "--cmdline", "SYSCOST_CLOCK=tsc", "k"], "may not set syscost's own SYSCOST_ variables"),
                             (["--debian", "5.10"], "--debian takes 6.1, 6.12 or all (got '5.10')"),
                             (["--debian", "6.1", "--flavour", "cloud,xen"], "--flavour takes cloud, generic and rt"),
                             (["--debian", "6.1", "linux-image-6.1.0-57-cloud-amd64"], "--debian selects the kernels itself"),
                             (["--bisect", "syscall/invalid/raw", "k"], "--bisect takes the two kernels"),
                             (["--bisect", "../etc", "a", "b"], "--bisect takes a benchmark id"),
                             (["--kvm-probe", "soon", "k"], "--kvm-probe takes a whole number of seconds (got 'soon')"),
                             (["--clean", "k"], "--clean takes no kernels"), ([], "usage: scripts/kernel-matrix.sh"),
                             (["--matrix"], "--matrix needs a value"), (["--bogus"], "unknown option --bogus")] {
            let r = try Tool.run("/bin/bash", [PackageRoot.path("scripts/kernel-matrix.sh").path] + args)
            #expect(r.status == 2 && r.stderr.contains(says), "\(args): \(r.status) \(r.stderr)")
        }
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["SYSCOST_SLOW_TESTS"] == "1"),
          .timeLimit(.minutes(20)))
    func tcgRunComesBackMarkedEmulated() throws {
        let results = FileManager.default.temporaryDirectory.appendingPathComponent("syscost-km-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: results) }
        let r = try Tool.run("/bin/bash", [PackageRoot.path("scripts/kernel-matrix.sh").path, "--accel", "tcg",
                                           "--matrix", "syscall/getppid/raw", "--results", results, "linux-image-6.12.117+deb12-cloud-amd64"])
        let table = r.stdout
        #expect(r.status == 0, "\(r.stderr)")
        let reports = try ReportLoader.collect([results])
        let report = try #require(reports.first?.report)
        #expect(report.environment.kernel.release == "6.12.117+deb12-cloud-amd64")
        #expect(report.environment.emulated == true)
        #expect(report.environment.fingerprint.emulatingHost?.contains(EnvironmentCapture.capture().fingerprint.key.rawValue) == true)
        #expect(report.results.first?.id == "syscall/getppid/raw" && report.results.first?.status == .ok)
        #expect(table.contains("emulated") && table.contains("6.12.117+deb12-cloud-amd64"))
    }

    /// One kernel booted twice under the instruction clock: both reports count guest
    /// instructions, are of the machine "qemu icount, cpu max", and their null syscalls repeat
    /// across the boots to within a thousandth (the spread this measures is what compare uses).
    @Test(.enabled(if: ProcessInfo.processInfo.environment["SYSCOST_SLOW_TESTS"] == "1"),
          .timeLimit(.minutes(20)))
    func icountBootsRepeatAndTheirSpreadIsKept() throws {
        let results = FileManager.default.temporaryDirectory.appendingPathComponent("syscost-km-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: results) }
        let kernel = "linux-image-6.1.0-57-cloud-amd64"
        let r = try Tool.run("/bin/bash", [PackageRoot.path("scripts/kernel-matrix.sh").path, "--accel", "icount", "--boots", "2",
                                           "--matrix", "syscall/invalid/raw syscall/getppid/raw ctxswitch/pipe-process/same-cpu",
                                           "--results", results, kernel])
        #expect(r.status == 0, "\(r.stderr)")
        let runs = try ReportLoader.collect([results]).map(\.report)
        try #require(runs.count == 2, "\(r.stderr)")
        #expect(runs.allSatisfy { $0.environment.instructionClock == InstructionClock(cpuModel: "max") })
        #expect(Set(runs.map { $0.environment.fingerprint.key }).count == 1)
        #expect(runs.allSatisfy { $0.environment.fingerprint.emulatingHost != nil })
        for id: BenchmarkID in ["syscall/invalid/raw", "syscall/getppid/raw"] {
            let figures = runs.compactMap { $0.results.first { $0.id == id }?.undisturbed }
            try #require(figures.count == 2)
            #expect(figures.allSatisfy { $0 > 50 }, "\(id): \(figures)")
            #expect(abs(figures[0] / figures[1] - 1) < 1e-3, "\(id) moved between boots: \(figures)")
            #expect(runs.allSatisfy { $0.results.first { $0.id == id }?.unit == .insnPerOp })
        }
        // The two boots compared: no verdict either way.
        let c = try Comparison.compare(.init("boot 1", [runs[0]]), .init("boot 2", [runs[1]]),
                                       thresholds: Thresholds(default: Comparison.instructionThreshold * 100))
        #expect(c.regressions.isEmpty && !c.rows.contains { $0.verdict == .improvement })
        #expect(r.stdout.contains("icount"))
    }
}
