import Foundation
@testable import SysCostModel
@testable import SysCostAnalysis
import Testing

/// Issue 28's classes that this change closes: a failed write to standard output is exit 3
/// with a named fallback, never exit 0; flag values that crashed or hung the tool are refused
/// at parse time naming their range; a NEW side without positive times is never a pass.
@Suite struct HardeningTests {
    static let committed = KernelMatrixTests.packageRoot.appendingPathComponent("results/vm/6.18.44-fc-v595/20261129T073007Z.json").path

    /// `syscost ARGS` with standard output on /dev/full (every write: ENOSPC).
    static func runToFull(_ arguments: [String]) throws -> CLI.Outcome {
        let process = Process()
        process.executableURL = CLI.executable
        process.arguments = arguments
        let full = try #require(FileHandle(forWritingAtPath: "/dev/full"))
        let err = Pipe()
        process.standardOutput = full
        process.standardError = err
        try process.run()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLI.Outcome(status: process.terminationStatus, stdout: "", stderr: String(decoding: stderr, as: UTF8.self))
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
