import Foundation
@testable import SysCost
@testable import SysCostModel
@testable import SysCostRender
@testable import SysCostAnalysis
import Testing
import SysCostTestSupport

/// `syscost watch`'s policy: the first complete run becomes the machine's baseline; a run on a
/// new kernel that passes replaces it, one that regressed leaves it (so the alert holds); a file
/// that is no baseline is refused and left alone; the metrics carry both kernels.
@Suite(.serialized) struct WatchTests {
    struct Place {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("syscost-watch-\(UUID())")
        var state: URL { dir.appendingPathComponent("state") }
        var textfile: URL { dir.appendingPathComponent("textfile") }
        var metrics: String { (try? String(contentsOf: textfile.appendingPathComponent("syscost.prom"), encoding: .utf8)) ?? "" }
        var baselines: URL { state.appendingPathComponent("baselines") }

        init() throws { try FileManager.default.createDirectory(at: dir.appendingPathComponent("textfile"), withIntermediateDirectories: true) }

        func watch(_ extra: [String] = []) throws -> CLI.Outcome {
            try CLI.run(["watch", "--state-dir", state.path, "--textfile-dir", textfile.path, "--confirm-after", "0",
                         "syscall/getppid/raw", "syscall/invalid/raw"] + extra)
        }

        /// The one baseline there is.
        func baseline() throws -> (URL, RunReport) {
            let files = try FileManager.default.contentsOfDirectory(atPath: baselines.path).filter { $0.hasSuffix(".json") }
            try #require(files.count == 1, "\(files)")
            let url = baselines.appendingPathComponent(files[0])
            return (url, try ReportLoader.load(url.path))
        }
    }

    /// The lines of `metric` in `text`: the label part, and the value.
    static func samples(_ text: String, _ metric: String) -> [(labels: String, value: Double)] {
        text.split(separator: "\n").compactMap { line in
            guard line.hasPrefix(metric + "{"), let close = line.lastIndex(of: "}") else { return nil }
            return (String(line[..<close]), Double(line[line.index(after: close)...].trimmingCharacters(in: .whitespaces)) ?? .nan)
        }
    }

    /// `report` as if measured under kernel `release`, every round `scale` times its cost.
    static func rewritten(_ report: RunReport, kernel release: String, scale: Double) throws -> Data {
        var r = report
        r.environment.kernel.release = release
        for i in r.results.indices {
            r.results[i].samples = r.results[i].samples.map { $0 * scale }
            r.results[i].summary = Summary(samples: r.results[i].samples)
        }
        return Data(try PrettyJSON.string(r).utf8)
    }

    @Test func aNewKernelThatPassesBecomesTheBaselineOneThatRegressedDoesNot() throws {
        let place = try Place()
        defer { try? FileManager.default.removeItem(at: place.dir) }
        let first = try place.watch()
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr.contains("the first complete run of this machine"))
        let (file, measured) = try place.baseline()
        let live = measured.environment.kernel.release
        // Two passes are too few to learn the machine's spread from: judged by a given one.
        let spread = ["--spread", try Synthetic.writeSpread(for: measured, "watch-spread")]
        defer { unlink(spread[1]) }

        // Under an old kernel everything cost a quarter: the live one regressed. Alert, keep it.
        try Self.rewritten(measured, kernel: "5.10.0-old", scale: 0.25).write(to: file)
        let regressed = try place.watch(spread)
        #expect(regressed.status == 1, "\(regressed.stderr)")
        #expect(regressed.stderr.contains("measuring again in 0 s to confirm"), "\(regressed.stderr)")
        #expect(try place.baseline().1.environment.kernel.release == "5.10.0-old")
        let ratio = try #require(Self.samples(place.metrics, "syscost_gate_change_ratio").first { $0.labels.contains(#"id="syscall/getppid/raw""#) })
        #expect(ratio.labels.contains(#"verdict="regression""#) && ratio.labels.contains(#"base_kernel="5.10.0-old""#)
                && ratio.labels.contains("kernel=\"\(live)\"") && ratio.value > 1)
        #expect(Self.samples(place.metrics, "syscost_gate_kernel_changed").map(\.value) == [1])
        #expect(Self.samples(place.metrics, "syscost_gate_pass").map(\.value) == [0])

        // The same old kernel, the same cost: the new kernel passes and becomes the baseline.
        try Self.rewritten(measured, kernel: "5.10.0-old", scale: 1).write(to: file)
        let passed = try place.watch(["--threshold", "999"] + spread)
        #expect(passed.status == 0, "\(passed.stderr)")
        #expect(passed.stderr.contains("it passed on a new kernel (5.10.0-old before)"))
        #expect(try place.baseline().1.environment.kernel.release == live)
        #expect(Self.samples(place.metrics, "syscost_gate_pass").map(\.value) == [1])
        let runs = FileManager.default.enumerator(atPath: place.state.appendingPathComponent("runs").path)?.compactMap { $0 as? String }
        // The first pass, the regressed one and its confirmation, the passing one.
        #expect(runs?.filter { $0.hasSuffix(".json") }.count == 4)
    }

    /// A stop (the machine shutting down) while waiting to confirm leaves no verdict behind:
    /// the file has the pass's figures and no gate, so no alert reads an unconfirmed regression.
    @Test func aStopWhileWaitingToConfirmWritesNoVerdict() throws {
        let place = try Place()
        defer { try? FileManager.default.removeItem(at: place.dir) }
        #expect(try place.watch().status == 0)
        let (file, measured) = try place.baseline()
        let spread = try Synthetic.writeSpread(for: measured, "watch-stop-spread")
        defer { unlink(spread) }
        try Self.rewritten(measured, kernel: "5.10.0-old", scale: 0.25).write(to: file)
        let started = try CLI.start(["watch", "--state-dir", place.state.path, "--textfile-dir", place.textfile.path,
                                     "--confirm-after", "600", "--spread", spread, "syscall/getppid/raw", "syscall/invalid/raw"])
        let seen = try CLI.waitFor("to confirm", in: started)
        kill(started.0.processIdentifier, SIGTERM)
        let r = CLI.finish(started, stderrSoFar: seen)
        #expect(r.status == 128 + SIGTERM, "\(r.stderr)")
        #expect(Self.samples(place.metrics, "syscost_op_seconds").count == 4)
        #expect(!place.metrics.contains("syscost_gate_"), "\(place.metrics)")
        #expect(try place.baseline().1.environment.kernel.release == "5.10.0-old")
    }

    /// Why a regression is confirmed by a second pass: judged together, a first pass taken in
    /// a slow phase of the host (every round 1.5× slower) and a second at the baseline's cost
    /// are no regression, where the slow pass alone is one.
    @Test func aSlowPassClearedByAFastOneIsNoRegression() throws {
        var base = try ReportLoader.load(PackageRoot.url.appendingPathComponent("results/vm/6.18.44-fc-v595/20261129T073007Z.json").path)
        base.results = base.results.filter { ["syscall/getppid/raw", "ctxswitch/pipe-process/same-cpu"].contains($0.id.description) }
        let slow = try RunReport.decode(try Self.rewritten(base, kernel: base.environment.kernel.release, scale: 1.5))
        let spread = Synthetic.spread(for: base, logSD: 0.02)
        let alone = try Comparison.compare(Comparison.Side("baseline", base), Comparison.Side("this run", [slow]), spread: spread)
        #expect(alone.regressions.count == 2)
        let both = try Comparison.compare(Comparison.Side("baseline", base), Comparison.Side("both passes", [slow, base]), spread: spread)
        #expect(both.rows.count == 2 && both.regressions.isEmpty, "\(both.rows.map { ($0.id, $0.ratio, $0.verdict) })")
    }

    /// A pass that measured but cannot file its run (runs/<machine> is a file) writes no pass:
    /// the metrics say `syscost_gate_pass 0` and why, replacing the previous pass's 1.
    @Test func aPassThatCannotSaveSaysSoInItsMetrics() throws {
        let place = try Place()
        defer { try? FileManager.default.removeItem(at: place.dir) }
        #expect(try place.watch().status == 0)
        #expect(Self.samples(place.metrics, "syscost_gate_pass").map(\.value) == [1])
        let key = try place.baseline().1.environment.fingerprint.key.rawValue
        let machineRuns = place.state.appendingPathComponent("runs").appendingPathComponent(key)
        try FileManager.default.removeItem(at: machineRuns)
        try Data("not a folder".utf8).write(to: machineRuns)
        let r = try place.watch()
        #expect(r.status == 3 && r.stderr.contains("could not save"), "\(r.stderr)")
        #expect(Self.samples(place.metrics, "syscost_gate_pass").map(\.value) == [0], "\(place.metrics)")
        #expect(Self.samples(place.metrics, "syscost_watch_failed").first?.labels.contains("could not save") == true, "\(place.metrics)")
        #expect(try String(contentsOf: machineRuns, encoding: .utf8) == "not a folder")
        for path in CLI.fallbacks(in: r.stderr) { unlink(path) }
    }

    @Test func aFileThatIsNoBaselineIsRefusedAndLeftAlone() throws {
        let place = try Place()
        defer { try? FileManager.default.removeItem(at: place.dir) }
        #expect(try place.watch().status == 0)
        let (file, _) = try place.baseline()
        try Data("{not a report".utf8).write(to: file)
        let r = try place.watch()
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stderr.contains(file.lastPathComponent))
        #expect(try Data(contentsOf: file) == Data("{not a report".utf8))
    }

    /// One pass at a time: a second watch on the same state folder is refused before measuring.
    @Test func aSecondWatchIsRefusedWhileOneRuns() throws {
        let place = try Place()
        defer { try? FileManager.default.removeItem(at: place.dir) }
        try FileManager.default.createDirectory(at: place.state, withIntermediateDirectories: true)
        let fd = open(place.state.appendingPathComponent("watch.lock").path, O_RDWR | O_CREAT, 0o644)
        try #require(fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0)
        let held = try place.watch()
        close(fd)
        #expect(held.status == 2 && held.stderr.contains("another syscost watch holds"), "\(held.stderr)")
        #expect(place.metrics.isEmpty)
        let free = try place.watch()
        #expect(free.status == 0, "\(free.stderr)")
    }

    @Test(arguments: [["--metrics-file", "syscost.txt"], ["--metrics-file", "../x.prom"], ["--textfile-dir", "/nonexistent-syscost"]])
    func aPlaceTheMetricsCannotGoIsRefusedBeforeMeasuring(arguments: [String]) throws {
        let place = try Place()
        defer { try? FileManager.default.removeItem(at: place.dir) }
        let r = try place.watch(arguments)
        #expect(r.status == 2, "\(r.stderr)")
        #expect(!r.stderr.contains("measuring"))
        #expect(!FileManager.default.fileExists(atPath: place.state.appendingPathComponent("runs").path))
    }
}
