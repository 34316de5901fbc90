import Foundation
@testable import SysCost
@testable import SysCostModel
import Testing
import SysCostTestSupport

/// scripts/package.sh's .deb, unpacked into a scratch root (`dpkg -x`): the installed binary
/// runs on its own (no Swift runtime beside it), and the package holds the man page, the
/// completions and contrib's units and rules. The optimised build it makes (in .build-static)
/// is the one run-matrix.sh and kernel-matrix.sh use too: whichever comes first builds it, the
/// others find it up to date.
@Suite struct PackageTests {
    static func sh(_ arguments: [String], in dir: URL? = nil) throws -> CLI.Outcome {
        try Tool.run("/usr/bin/env", arguments, in: dir)
    }

    @Test func theDebInstallsIntoAScratchRootAndRuns() async throws {
        let dir = try TempFolder("deb").url
        defer { try? FileManager.default.removeItem(at: dir) }
        // The build takes minutes on a fresh clone: awaited off the test runner's threads.
        let built = try await Tool.runDetached("/usr/bin/env", ["bash", "scripts/package.sh", "--output", dir.appendingPathComponent("deb").path],
                                               in: PackageRoot.url)
        #expect(built.status == 0, "\(built.stderr.suffix(3000))")
        let deb = try #require(built.stdout.split(separator: "\n").last.map(String.init))
        #expect(deb.hasSuffix(".deb") && FileManager.default.fileExists(atPath: deb), "\(built.stdout)")

        let control = try Self.sh(["dpkg-deb", "--field", deb, "Package", "Version", "Depends"])
        #expect(control.stdout.contains("Package: syscost") && control.stdout.contains("Version: \(EnvironmentCapture.syscostVersion)"))
        #expect(control.stdout.contains("libpfm4") && !control.stdout.contains("swift"), "\(control.stdout)")

        let root = dir.appendingPathComponent("root")
        let unpacked = try Self.sh(["dpkg", "-x", deb, root.path])
        #expect(unpacked.status == 0, "\(unpacked.stderr)")
        let syscost = root.appendingPathComponent("usr/bin/syscost").path
        let linked = try Self.sh(["ldd", syscost])
        #expect(!linked.stdout.contains("libswift") && !linked.stdout.contains("not found"), "\(linked.stdout)")
        let version = try Self.sh([syscost, "--version"])
        #expect(version.status == 0 && version.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == EnvironmentCapture.syscostVersion)
        let list = try Self.sh([syscost, "list", "--json"])
        #expect(list.status == 0, "\(list.stderr)")
        let entries = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]]
        #expect(entries?.count == Catalog.all().count)

        for file in ["usr/share/man/man1/syscost.1.gz", "usr/share/bash-completion/completions/syscost",
                     "usr/share/zsh/vendor-completions/_syscost", "usr/share/fish/vendor_completions.d/syscost.fish",
                     "lib/systemd/system/syscost-watch.service", "lib/systemd/system/syscost-watch.timer",
                     "usr/share/syscost/prometheus/syscost.rules.yml"] {
            #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent(file).path), "\(file)")
        }
        let manual = try Self.sh(["sh", "-c", "zcat \"$0\" | grep -c '^\\.It Em '", root.appendingPathComponent("usr/share/man/man1/syscost.1.gz").path])
        #expect((Int(manual.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) >= 12, "every subcommand: \(manual.stdout)")
        let service = try String(contentsOf: root.appendingPathComponent("lib/systemd/system/syscost-watch.service"), encoding: .utf8)
        #expect(service.contains("ExecStart=/usr/bin/syscost watch "))
    }
}
