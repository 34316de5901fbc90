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
        for (args, says) in [(["--accel", "xen", "k"], "--accel takes auto, kvm or tcg (got 'xen')"),
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
}
