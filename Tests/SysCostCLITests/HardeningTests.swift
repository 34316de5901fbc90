import Foundation
@testable import SysCostModel
@testable import SysCostAnalysis
@testable import SysCostRender
@testable import SysCost
import Testing
import SysCostTestSupport

/// Issue 28's classes that this change closes: a failed write to standard output is exit 3
/// with a named fallback, never exit 0; flag values that crashed or hung the tool are refused
/// at parse time naming their range; a NEW side without positive times is never a pass.
@Suite struct HardeningTests {
    static let committed = PackageRoot.url.appendingPathComponent("results/vm/6.18.44-fc-v595/20261129T073007Z.json").path

    /// `syscost ARGS` with standard output on /dev/full (every write: ENOSPC).
    static func runToFull(_ arguments: [String]) throws -> CLI.Outcome {
        let r = try Spawned.run(arguments, stdout: "/dev/full")
        return CLI.Outcome(status: r.status ?? 128 + (r.signal ?? 0), stdout: "", stderr: r.stderr)
    }

    @Test(arguments: [["list"], ["env"], ["report", committed, "--format", "json"], ["report", committed, "--format", "openmetrics"],
                      ["compare", committed, committed], ["history", committed]])
    func aFailedStdoutIsExit3WithAFallback(_ arguments: [String]) throws {
        let r = try Self.runToFull(arguments)
        #expect(r.status == 3 && r.stderr.contains("could not write standard output (No space left on device)"), "\(arguments): \(r.status) \(r.stderr)")
        let kept = CLI.fallbacks(in: r.stderr)
        #expect(!kept.isEmpty, "\(r.stderr)")
        for path in kept {
            #expect((try? Data(contentsOf: URL(fileURLWithPath: path)))?.isEmpty == false, "\(path)")
            unlink(path)
        }
    }

    /// A run whose stdout fails keeps the whole report, which `report` reads back.
    @Test func aRunWithAFailedStdoutKeepsItsReport() throws {
        let r = try Self.runToFull(["run", "syscall/getppid/raw", "--quick", "--warmup", "0"])
        #expect(r.status == 3, "\(r.stderr)")
        let kept = CLI.fallbacks(in: r.stderr)
        defer { for path in kept { unlink(path) } }
        let report = try #require(kept.first { $0.hasSuffix("run.json") }, "\(r.stderr)")
        #expect(try ReportLoader.load(report).results.map(\.id.description) == ["syscall/getppid/raw"])
    }

    @Test(arguments: [(["compare", committed, committed, "--alpha", "1e-16"], "--alpha"),
                      (["history", committed, "--alpha", "1e-16"], "--alpha"),
                      (["baseline", "check", "x", committed, "--alpha", "1e-16"], "--alpha"),
                      (["watch", "--alpha", "1e-16"], "--alpha"),
                      (["compare", committed, committed, "--power", "1"], "--power"),
                      (["run", "--min-batch-time", "1e15"], "--min-batch-time"),
                      (["run", "--rounds", "1000001"], "--repetitions"),
                      (["run", "syscall/*", "--rounds", "100000"], "--repetitions 100000 for"),
                      (["run", "--warmup", "1e300"], "--warmup"),
                      (["calibrate", "--runs", "2"], "--runs"),
                      (["calibrate", "--spacing", "nan"], "--spacing"),
                      (["baseline", "check", "x", "--runs", "0"], "--runs")])
    func aFlagOutOfRangeIsRefusedAtOnce(_ arguments: [String], _ flag: String) throws {
        let r = try CLI.run(arguments)
        #expect(r.status == 2 && r.stderr.contains(flag), "\(arguments): \(r.status) \(r.stderr)")
    }

    /// `run --save` checks the folder it will save into before measuring: with
    /// results/<machine> a regular file it is refused at once (exit 2), and the file is kept.
    @Test func theSaveFolderIsCheckedBeforeMeasuring() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("syscost-savecheck-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let quick = ["run", "syscall/invalid/raw", "--quick", "--warmup", "0", "--save", "--results-dir", root]
        let first = try CLI.run(quick)
        #expect(first.status == 0, "\(first.stderr)")
        let machine = try #require(try FileManager.default.contentsOfDirectory(atPath: root).first)
        let folder = (root as NSString).appendingPathComponent(machine)
        try FileManager.default.removeItem(atPath: folder)
        try Data("in the way".utf8).write(to: URL(fileURLWithPath: folder))
        let r = try CLI.run(quick)
        #expect(r.status == 2 && !r.stderr.contains("measuring"), "\(r.stderr)")
        #expect(try String(contentsOfFile: folder, encoding: .utf8) == "in the way")
    }

    /// A NEW run whose times are all zero, or negative, is no pass (exit 4), as it is no base;
    /// it never passes as "inconclusive".
    @Test(arguments: [0.0, -1.0])
    func aNewSideWithoutPositiveTimesIsNoPass(_ value: Double) throws {
        let base = Synthetic.report([Synthetic.result("syscall/a/raw", Synthetic.around(100)),
                                     Synthetic.result("syscall/b/raw", Synthetic.around(100))])
        var new = base
        for i in new.results.indices {
            new.results[i].samples = Array(repeating: value, count: 15)
            new.results[i].summary = Summary(samples: new.results[i].samples)
        }
        let c = try Comparison.compare(base: base, new: new)
        #expect(c.incomplete.map(\.kind) == [.notPositive, .nothingCompared] && c.incomplete[0].side == "NEW", "\(c.incomplete)")
        let a = try Synthetic.write(base, "hard-base"), b = try Synthetic.write(new, "hard-new")
        defer { unlink(a); unlink(b) }
        let r = try CLI.run(["compare", a, b])
        #expect(r.status == 4 && r.stderr.contains("no positive, finite time"), "\(r.stderr)")
    }
}

/// Class 8: every format of the largest report the readers take (2 × 999,990 rounds) stays
/// within 200 MB of memory and linear in time. google/benchmark's JSON (every round an entry,
/// 800 MB here) used to be built whole: 8.3 GB of memory for 4 × 999,990 rounds.
@Suite(.serialized) struct ExportBoundsTests {
    /// `syscost ARGS`, stdout on /dev/null: its exit status, peak resident memory (KiB) and
    /// wall time. The peak is taken by a small python3 parent (its RUSAGE_CHILDREN): a child
    /// spawned straight from this test process would carry this process's own high-water mark
    /// into its ru_maxrss (Linux records the old mm's peak at exec), and this process is large.
    static func measured(_ arguments: [String]) throws -> (status: Int32, kib: Int, seconds: Double, stderr: String) {
        let script = """
            import resource, subprocess, sys
            r = subprocess.run(sys.argv[1:], stdin=subprocess.DEVNULL)
            sys.stderr.write("\\nsyscost-peak-kib=%d\\n" % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
            sys.exit(r.returncode if r.returncode >= 0 else 128 - r.returncode)
            """
        let r = try Spawned.run(["-c", script, CLI.executable.path] + arguments, executable: "/usr/bin/python3")
        let kib = r.stderr.components(separatedBy: "syscost-peak-kib=").last.flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        return (r.status ?? 128 + (r.signal ?? 0), kib ?? Int.max, r.seconds, r.stderr)
    }

    /// A report of `results` results × `rounds` rounds of short figures (so the file stays
    /// under the readers' 64 MB), written to a temporary file.
    static func report(results: Int, rounds: Int) throws -> String {
        let base = Synthetic.report((0..<results).map { i in
            Synthetic.result("syscall/bound\(i)/raw", (0..<rounds).map { Double(100 + $0 % 7) })
        })
        return try Synthetic.write(base, "bounds-\(results)x\(rounds)")
    }

    @Test func everyFormatOfTheLargestReportStaysBounded() throws {
        let largest = try Self.report(results: 2, rounds: 999_990), tenth = try Self.report(results: 2, rounds: 99_999)
        defer { unlink(largest); unlink(tenth) }
        for format in OutputFormat.allCases {
            let big = try Self.measured(["report", largest, "--format", format.rawValue])
            #expect(big.status == 0, "\(format): exit \(big.status) \(big.stderr.suffix(300))")
            #expect(big.kib < 200 << 10, "\(format): \(big.kib >> 10) MB of memory for 2 × 999,990 rounds")
            // Linear time: ten times the rounds, never a hundred times the time (a quadratic
            // writer's ratio); the small report's time is floored at 50 ms against start-up.
            let small = try Self.measured(["report", tenth, "--format", format.rawValue])
            #expect(small.status == 0)
            #expect(big.seconds < 30 * max(small.seconds, 0.05), "\(format): \(big.seconds) s against \(small.seconds) s for a tenth")
        }
    }
}

/// Class 10: one rule for links in a results, baseline or state tree, for writing and reading
/// alike (`Tree`): inside the tree they are followed, out of it never.
@Suite struct LinkPolicyTests {
    static func folder(_ tag: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("syscost-\(tag)-\(UUID())").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        return path
    }

    /// With results/<machine> a link to a folder outside the tree, `run --save` is refused
    /// before measuring, naming the link, and writes nothing there; `history` skips the same
    /// link with a note. A link inside the tree is followed by both.
    @Test func aMachineFolderLinkedOutOfTheTreeIsNeitherWrittenNorRead() throws {
        let root = try Self.folder("links-root"), outside = try Self.folder("links-outside")
        defer { try? FileManager.default.removeItem(atPath: root); try? FileManager.default.removeItem(atPath: outside) }
        let quick = ["run", "syscall/invalid/raw", "--quick", "--warmup", "0", "--save", "--results-dir", root]
        let first = try CLI.run(quick)
        #expect(first.status == 0, "\(first.stderr)")
        let machine = try #require(try FileManager.default.contentsOfDirectory(atPath: root).first)
        let machineFolder = (root as NSString).appendingPathComponent(machine)
        // Inside the tree: the machine folder moved to `real`, and linked back by a relative link.
        try FileManager.default.moveItem(atPath: machineFolder, toPath: (root as NSString).appendingPathComponent("real"))
        try FileManager.default.createSymbolicLink(atPath: machineFolder, withDestinationPath: "real")
        let inside = try CLI.run(quick)
        #expect(inside.status == 0, "\(inside.stderr)")
        let history = try CLI.run(["history", root, "--format", "json"])
        #expect(history.status == 0 && !history.stderr.contains("skipped"), "\(history.stderr)")
        let machines = try #require(try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [[String: Any]])
        #expect(machines.count == 1 && (machines.first?["runs"] as? [Any])?.count == 2, "both runs, each once: \(history.stdout.prefix(300))")
        // Out of the tree: neither written through nor read.
        try FileManager.default.removeItem(atPath: machineFolder)
        try FileManager.default.createSymbolicLink(atPath: machineFolder, withDestinationPath: outside)
        let out = try CLI.run(quick)
        #expect(out.status == 2 && out.stderr.contains("leads outside") && !out.stderr.contains("measuring"), "\(out.stderr)")
        #expect(try FileManager.default.subpathsOfDirectory(atPath: outside).isEmpty)
        try FileManager.default.copyItem(atPath: (root as NSString).appendingPathComponent("real"), toPath: (outside as NSString).appendingPathComponent("copy"))
        let skipped = try CLI.run(["history", root])
        #expect(skipped.status == 0 && skipped.stderr.contains("skipped \(machineFolder): it leads outside"), "\(skipped.stderr)")
    }

    /// A link in a results tree to a file outside it (a root-only secret, as /etc/shadow is)
    /// is skipped unopened: nothing of it is quoted.
    @Test func aLinkToASecretOutsideTheTreeIsNeverOpened() throws {
        let root = try Self.folder("links-secret"), secret = CLI.reportPath("private")
        defer { try? FileManager.default.removeItem(atPath: root); unlink(secret) }
        try Data("root:$6$secret-hash:19000:0:99999:7:::\n".utf8).write(to: URL(fileURLWithPath: secret))
        chmod(secret, 0o600)
        try FileManager.default.copyItem(atPath: HardeningTests.committed, toPath: (root as NSString).appendingPathComponent("run.json"))
        try FileManager.default.createSymbolicLink(atPath: (root as NSString).appendingPathComponent("shadow.json"), withDestinationPath: secret)
        let r = try CLI.run(["history", root])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("shadow.json: it leads outside") && !r.stderr.contains("$6$") && !r.stderr.contains("root:"), "\(r.stderr)")
    }

    /// A baseline that is a link out of its folder is named and left alone by save and check;
    /// one linked inside the folder is the file it leads to.
    @Test func aBaselineLinkedOutOfItsFolderIsLeftAlone() throws {
        let dir = try Self.folder("links-baselines"), outside = CLI.reportPath("outside-baseline")
        defer { try? FileManager.default.removeItem(atPath: dir); unlink(outside) }
        try FileManager.default.copyItem(atPath: HardeningTests.committed, toPath: outside)
        let before = try Data(contentsOf: URL(fileURLWithPath: outside))
        try FileManager.default.createSymbolicLink(atPath: (dir as NSString).appendingPathComponent("out.json"), withDestinationPath: outside)
        let save = try CLI.run(["baseline", "save", "out", HardeningTests.committed, "--dir", dir])
        #expect(save.status == 2 && save.stderr.contains("a link out of"), "\(save.stderr)")
        let check = try CLI.run(["baseline", "check", "out", HardeningTests.committed, "--dir", dir])
        #expect(check.status == 2 && check.stderr.contains("a link out of"), "\(check.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: outside)) == before)
        try FileManager.default.copyItem(atPath: HardeningTests.committed, toPath: (dir as NSString).appendingPathComponent("real.json"))
        try FileManager.default.createSymbolicLink(atPath: (dir as NSString).appendingPathComponent("alias.json"), withDestinationPath: "real.json")
        let inside = try CLI.run(["baseline", "check", "alias", HardeningTests.committed, "--dir", dir])
        #expect([0, 1].contains(inside.status), "\(inside.stderr)")
    }
}

@Suite struct PathTests {
    /// Foundation's deletingLastPathComponent traps on a one-character name (`--output 1`,
    /// found by the CLI fuzz); syscost's own never does.
    @Test func theFolderOfAnyPath() {
        for (path, folder) in [("1", "."), ("a", "."), ("a/b", "a"), ("/a", "/"), ("/", "/"), ("a/b/", "a"), ("//a", "/"), ("x//y", "x"), ("", ".")] {
            #expect(OutputFile.directory(of: path) == folder, "\(path)")
        }
    }
}

@Suite struct FlagRangeTests {
    /// Every numeric flag's documented range is in its help, and a value just past it is
    /// refused naming that range (the CLI's FlagRanges: one range each, for both).
    @Test(arguments: [
        (["run"], "--repetitions", "1 to 1000000", "1000001"), (["run"], "--min-batch-time", "0.001 to 500 ms", "501"),
        (["run"], "--warmup", "0 to 600000 ms", "600001"), (["run"], "--time-budget", "0.001 to 86400 seconds", "86401"),
        (["run"], "--distribution", "100 to 10000000 calls", "99"), (["run"], "--cpu", "0 to 65535", "65536"),
        (["compare"], "--threshold", "0 to 1000 %", "1001"), (["compare"], "--alpha", "1e-06 to 0.5", "0.6"),
        (["compare"], "--power", "0.5 to 0.9999", "1"), (["history"], "--last", "1 to 100000 runs", "0"),
        (["doctor"], "--sample", "10 to 60000 ms", "9"), (["doctor"], "--canary", "0.05 to 60 seconds", "61"),
        (["calibrate"], "--runs", "3 to 50 runs", "2"), (["calibrate"], "--spacing", "0 to 3600 seconds", "3601"),
        (["baseline", "save"], "--runs", "1 to 64 runs", "65"), (["watch"], "--confirm-after", "0 to 86400 seconds", "86401"),
    ])
    func theHelpStatesEachRangeAndParsingHoldsToIt(_ command: [String], _ flag: String, _ range: String, _ past: String) throws {
        let help = try CLI.run(command + ["--help"]).stdout.replacingOccurrences(of: #"\s+"#, with: " ", options: .regularExpression)
        #expect(help.contains(range), "\(command) --help lacks \(range)")
        let operands = ["compare": FuzzTests.reports, "history": FuzzTests.reports, "save": ["x"]][command.last ?? ""] ?? []
        let r = try CLI.run(command + [flag, past] + operands)
        #expect(r.status == 2 && r.stderr.contains("\(flag) is \(range)"), "\(command) \(flag) \(past): \(r.status) \(r.stderr)")
    }
}
