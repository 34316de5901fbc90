import Foundation
@testable import SysCostAnalysis
@testable import SysCostModel
@testable import SysCostRender
import Synchronization
import Testing
import SysCostTestSupport

/// syscost runs as root and gates CI: its outputs never harm what a path points at, its gates
/// never pass a broken run, and no report file crashes it. Each case here is one that an
/// earlier version got wrong, tried from saved reports only (nothing is measured).
@Suite struct FailClosedTests {
    /// A scratch directory, removed afterwards.
    static func scratch() throws -> String {
        let dir = try TempFolder("fc").path
        return dir
    }

    /// A scratch directory and a report file in it; `body` runs, then both are removed.
    static func withScratch(_ body: (_ dir: String, _ input: String) throws -> Void) throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/in", withIntermediateDirectories: true)
        let input = dir + "/in/report.json"
        try OutputFile.write(Data(try PrettyJSON.string(report).utf8), to: input)
        try body(dir, input)
    }

    static var report: RunReport {
        Synthetic.report([Synthetic.result("syscall/a/raw", Synthetic.around(100)), Synthetic.result("syscall/b/raw", Synthetic.around(50))])
    }

    static func mode(_ path: String) -> mode_t {
        var st = stat()
        lstat(path, &st)
        return st.st_mode
    }

    // MARK: outputs

    @Test func outputOntoADeviceNodeWritesItInPlace() throws {
        try Self.withScratch { dir, input in
            let node = dir + "/null"
            #expect(mknod(node, S_IFCHR | 0o666, dev_t((1 << 8) | 3)) == 0, "mknod: \(String(cString: strerror(errno)))")
            for args in [["report", input, "--output", node], ["report", input, "--html", node], ["history", input, "--output", node]] {
                let r = try CLI.run(args)
                #expect(r.status == 0, "\(args): \(r.stderr)")
                #expect(Self.mode(node) & S_IFMT == S_IFCHR, "\(args) replaced the device node")
            }
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["in", "null"])
        }
    }

    @Test func aSymlinkedOutputKeepsItsLinkAndFillsItsTarget() throws {
        try Self.withScratch { dir, input in
            try FileManager.default.createDirectory(atPath: dir + "/real", withIntermediateDirectories: true)
            try "old".write(toFile: dir + "/real/report.txt", atomically: false, encoding: .utf8)
            chmod(dir + "/real/report.txt", 0o600)
            symlink("real/report.txt", dir + "/link.txt")
            let r = try CLI.run(["report", input, "--output", dir + "/link.txt"])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(Self.mode(dir + "/link.txt") & S_IFMT == S_IFLNK)
            let written = try String(contentsOfFile: dir + "/real/report.txt", encoding: .utf8)
            #expect(written.contains("syscall/a/raw"))
            // An existing file keeps its mode.
            #expect(Self.mode(dir + "/real/report.txt") & 0o7777 == 0o600)
            // A link to nothing: the file is made where it points, the link kept.
            symlink("real/new.json", dir + "/dangling.json")
            #expect(try CLI.run(["report", input, "--format", "json", "--output", dir + "/dangling.json"]).status == 0)
            #expect(Self.mode(dir + "/dangling.json") & S_IFMT == S_IFLNK)
            #expect(try ReportLoader.load(dir + "/real/new.json").results.count == 2)
            // Nothing left behind.
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/real").sorted() == ["new.json", "report.txt"])
        }
    }

    @Test func aNewOutputHonoursTheUmask() throws {
        try Self.withScratch { dir, input in
            for (mask, expected) in [("077", mode_t(0o600)), ("022", mode_t(0o644))] {
                let out = dir + "/r\(mask).txt"
                let r = try Tool.run("/bin/sh", ["-c", "umask \(mask) && exec \"$0\" report \"$1\" --output \"$2\"", CLI.executable.path, input, out])
                #expect(r.status == 0, "\(r.stderr)")
                #expect(Self.mode(out) & 0o7777 == expected, "umask \(mask): \(String(Self.mode(out) & 0o7777, radix: 8))")
            }
        }
    }

    @Test func aFIFOOutputIsWrittenInPlace() throws {
        try Self.withScratch { dir, input in
            let fifo = dir + "/pipe"
            #expect(mkfifo(fifo, 0o600) == 0)
            let reader = Process()
            reader.executableURL = URL(fileURLWithPath: "/bin/cat")
            reader.arguments = [fifo]
            let out = Pipe()
            reader.standardOutput = out
            try reader.run()
            let r = try CLI.run(["report", input, "--format", "csv", "--output", fifo])
            let read = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            reader.waitUntilExit()
            #expect(r.status == 0, "\(r.stderr)")
            #expect(read.hasPrefix("id,suite,"), "\(read)")
            #expect(Self.mode(fifo) & S_IFMT == S_IFIFO)
        }
    }

    /// Outputs that cannot be written are named before any work, exit 2, for every command
    /// that takes one.
    @Test func anUnwritableOutputIsRefusedBeforeTheWork() throws {
        try Self.withScratch { dir, input in
            let cases: [(String, String)] = [(dir + "/missing/r.json", "does not exist"), (dir, "it is a directory"),
                                             ("/proc/version", "cannot write /proc/version")]
            for (target, message) in cases {
                for args in [["report", input, "--output", target], ["report", input, "--html", target], ["history", input, "--output", target],
                             ["run", "syscall/getppid/raw", "--quick", "--output", target], ["profile", "--output", target, "--", "true"]] {
                    let r = try CLI.run(args)
                    #expect(r.status == 2, "\(args): exit \(r.status) \(r.stderr)")
                    #expect(r.stderr.contains(message), "\(args): \(r.stderr)")
                    #expect(!r.stderr.contains("measuring") && !r.stderr.contains("wrote"), "\(args): \(r.stderr)")
                }
            }
            #expect(try String(contentsOfFile: "/proc/version", encoding: .utf8).hasPrefix("Linux"))
        }
    }

    /// A signal while a temporary file exists is held until the file is in place or gone.
    @Test func aSignalDuringAWriteLeavesNoTemporaryFile() throws {
        try Self.withScratch { dir, input in
            // The held signal is raised again afterwards, under the disposition the process had
            // (SIGUSR2 here, which no write of the other tests holds meanwhile).
            // The test runs on a thread of its own: the test runner's threads block signals.
            let seen = SignalCounter.install(SIGUSR2)
            let counts = Mutex<[Int]>([])
            let done = DispatchSemaphore(value: 0)
            let thread = Thread {
                var unblock = sigset_t()
                sigemptyset(&unblock)
                sigaddset(&unblock, SIGUSR2)
                pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
                SignalDeferral.during([SIGUSR2]) {
                    raise(SIGUSR2)
                    SignalDeferral.during([SIGUSR2]) { raise(SIGUSR2) }
                    counts.withLock { $0.append(seen()) }
                }
                counts.withLock { $0.append(seen()) }
                done.signal()
            }
            thread.start()
            done.wait()
            #expect(counts.withLock { $0 } == [0, 1])
            // A real run sent SIGTERM until it ends, at whatever point: never a temporary file.
            for _ in 0..<5 {
                let started = try CLI.start(["report", input, "--format", "json", "--output", dir + "/r.json"])
                while started.0.isRunning { kill(started.0.processIdentifier, SIGTERM); usleep(200) }
                _ = CLI.finish(started)
                #expect(try FileManager.default.contentsOfDirectory(atPath: dir).allSatisfy { $0 == "r.json" || $0 == "in" })
            }
        }
    }

    // MARK: gates

    static func gate(_ base: RunReport, _ new: RunReport, _ extra: [String] = []) throws -> CLI.Outcome {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let a = dir + "/base.json", b = dir + "/new.json"
        try OutputFile.write(Data(try PrettyJSON.string(base).utf8), to: a)
        try OutputFile.write(Data(try PrettyJSON.string(new).utf8), to: b)
        let store = ["--dir", dir + "/baselines"]
        // One run a side: judged by a learned spread, as a gate on a calibrated machine is.
        let spread = ["--spread", try Synthetic.writeSpread(for: base, "gate-spread")]
        defer { unlink(spread[1]) }
        #expect(try CLI.run(["baseline", "save", "main", a, "--save-partial"] + store).status == 0)
        let check = try CLI.run(["baseline", "check", "main", b] + store + spread + extra)
        let compare = try CLI.run(["compare", a, b] + spread + extra)
        #expect(check.status == compare.status, "check \(check.status) \(check.stderr) / compare \(compare.status) \(compare.stderr)")
        return check
    }

    @Test func aBrokenRunNeverPassesTheGate() throws {
        let base = Self.report
        #expect(try Self.gate(base, base).status == 0)

        var interrupted = base
        interrupted.interrupted = true
        interrupted.results[0].samples = interrupted.results[0].samples.map { $0 * 1.5 }
        interrupted.results[0].summary = Summary(samples: interrupted.results[0].samples)
        let i = try Self.gate(base, interrupted)
        #expect(i.status == 4 && i.stderr.contains("not a pass:") && i.stderr.contains("was interrupted"), "\(i.stderr)")

        var failed = base
        for k in failed.results.indices {
            failed.results[k].status = .failed
            failed.results[k].summary = nil
            failed.results[k].samples = []
            failed.results[k].error = "its check failed: returned -1"
        }
        let f = try Self.gate(base, failed)
        #expect(f.status == 4 && f.stderr.contains("2 benchmarks failed their check") && f.stderr.contains("nothing was compared"), "\(f.stderr)")

        var missing = base
        missing.results.removeLast()
        let m = try Self.gate(base, missing)
        #expect(m.status == 4 && m.stderr.contains("1 benchmark of the base has no figure") && m.stderr.contains("syscall/b/raw"), "\(m.stderr)")
        #expect(try Self.gate(base, missing, ["--allow-missing"]).status == 0)

        var unsummarised = base
        for k in unsummarised.results.indices { unsummarised.results[k].summary = nil }
        #expect(try Self.gate(base, unsummarised).status == 4)

        // The base side too.
        let brokenBase = try Self.gate(interrupted, base)
        #expect(brokenBase.status == 4 && brokenBase.stderr.contains("was interrupted"), "\(brokenBase.stderr)")

        // A regression wins over incompleteness: 1, with both said.
        var slower = missing
        slower.results[0].samples = Synthetic.around(150)
        slower.results[0].summary = Summary(samples: slower.results[0].samples)
        let s = try Self.gate(base, slower)
        #expect(s.status == 1 && s.stderr.contains("regression") && s.stderr.contains("not a pass"), "\(s.stderr)")
    }

    /// Every document goes out through one exporter: each of its formats renders, and a
    /// command offers exactly its document's formats.
    @Test func everyDocumentExportsEachOfItsFormats() throws {
        let r = Self.report
        let c = try Comparison.compare(base: r, new: r)
        let h = HistoryDocument(History.perMachine([("a.json", r), ("b.json", r)]))
        for format in RunReport.formats { #expect(!(try r.export(as: format)).isEmpty) }
        for format in Comparison.formats { #expect(!(try c.export(as: format)).isEmpty) }
        for format in HistoryDocument.formats { #expect(!(try h.export(as: format)).isEmpty) }
        #expect(throws: (any Error).self) { try c.export(as: .csv) }
        try Self.withScratch { _, input in
            let refused = try CLI.run(["compare", input, input, "--format", "csv"])
            #expect(refused.status == 2 && refused.stderr.contains("this command does not write format 'csv'; use table, markdown, json or openmetrics"), "\(refused.stderr)")
        }
    }

    // MARK: baselines touch only their own files

    /// A directory under a baseline's name, and a link out of the folder, are named and left
    /// alone by every command; a link inside the folder is the file it leads to (`Tree`'s rule):
    /// saved through (the link kept), deleted as a name (its target kept).
    @Test func baselineCommandsActOnlyOnRegularFiles() throws {
        let dir = try Self.scratch(), outside = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir); try? FileManager.default.removeItem(atPath: outside) }
        let store = ["--dir", dir]
        try FileManager.default.createDirectory(atPath: dir + "/x.json", withIntermediateDirectories: true)
        try "keep".write(toFile: dir + "/x.json/inside", atomically: false, encoding: .utf8)
        try "elsewhere".write(toFile: outside + "/target", atomically: false, encoding: .utf8)
        symlink(outside + "/target", dir + "/z.json")
        for name in ["x", "z"] {
            let d = try CLI.run(["baseline", "delete", name] + store)
            #expect(d.status == 2 && d.stderr.contains("not a baseline file: left alone"), "\(name): \(d.stderr)")
            let c = try CLI.run(["baseline", "check", name, "/nonexistent"] + store)
            #expect(c.status == 2 && c.stderr.contains("not a baseline file"), "\(name): \(c.stderr)")
        }
        #expect(FileManager.default.fileExists(atPath: dir + "/x.json/inside"))
        #expect(try String(contentsOfFile: outside + "/target", encoding: .utf8) == "elsewhere")
        let input = try Synthetic.write(Self.report, "baseline")
        defer { unlink(input) }
        let save = try CLI.run(["baseline", "save", "z", input] + store)
        #expect(save.status == 2 && save.stderr.contains("a link out of"), "\(save.stderr)")
        #expect(try String(contentsOfFile: outside + "/target", encoding: .utf8) == "elsewhere")
        let list = try CLI.run(["baseline", "list"] + store)
        #expect(list.stdout.contains("a directory, not a baseline file") && list.stdout.contains("a link out of"), "\(list.stdout)")
        // Inside the folder: y.json leads to inner; saving y writes inner (y.json stays a link),
        // deleting y removes the name y.json and keeps inner.
        try "inner".write(toFile: dir + "/inner", atomically: false, encoding: .utf8)
        symlink("inner", dir + "/y.json")
        let saved = try CLI.run(["baseline", "save", "y", input] + store)
        #expect(saved.status == 0, "\(saved.stderr)")
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: dir + "/y.json")) == "inner")
        #expect((try? ReportLoader.load(dir + "/inner")) != nil)
        let deleted = try CLI.run(["baseline", "delete", "y"] + store)
        #expect(deleted.status == 0 && !FileManager.default.fileExists(atPath: dir + "/y.json") && FileManager.default.fileExists(atPath: dir + "/inner"),
                "\(deleted.stderr)")
    }

    // MARK: report files that are not reports

    @Test func inputsThatAreNoReportAreNamedForWhatTheyAre() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let good = try Synthetic.write(Self.report, "inputs")
        defer { unlink(good) }
        mkfifo(dir + "/fifo.json", 0o600)
        symlink(dir + "/loop1", dir + "/loop2")
        symlink(dir + "/loop2", dir + "/loop1")
        let text = try String(contentsOfFile: good, encoding: .utf8)
        try text.replacingOccurrences(of: "\"overheadNs\" : 0.3", with: "\"overheadNs\" : NaN").write(toFile: dir + "/nan.json", atomically: false, encoding: .utf8)
        let cases: [(String, String)] = [(dir + "/fifo.json", "is a FIFO, not a report file"), ("/dev/zero", "is a character device, not a report file"),
                                         (dir + "/loop1", "Too many levels of symbolic links"), (dir + "/nan.json", "NaN and Infinity are not JSON numbers"),
                                         (dir, "is a directory, expected a report file")]
        for (path, message) in cases {
            let r = try CLI.run(["compare", good, path])
            #expect(r.status == 2 && r.stderr.contains(message), "\(path): \(r.status) \(r.stderr)")
        }
        // A thresholds file is read the same way, and its globs are bounded.
        let fifoThresholds = try CLI.run(["compare", good, good, "--thresholds", dir + "/fifo.json"])
        #expect(fifoThresholds.status == 2 && fifoThresholds.stderr.contains("is a FIFO"), "\(fifoThresholds.stderr)")
        try #"{"default": 5, "rules": [{"pattern": "*a*a*a*a*a*a*a*a*b", "percent": 5}]}"#.write(toFile: dir + "/stars.json", atomically: false, encoding: .utf8)
        let stars = try CLI.run(["compare", good, good, "--thresholds", dir + "/stars.json"])
        #expect(stars.status == 2 && stars.stderr.contains("more than 8 '*'"), "\(stars.stderr)")
        // A link loop inside a results tree is not followed.
        symlink(dir, dir + "/sub")
        let h = try CLI.run(["history", dir, good])
        #expect(h.status == 0, "\(h.stderr)")
    }

    @Test func aReportCannotDriveTheTerminal() throws {
        var r = Self.report
        r.results[0] = Synthetic.result("syscall/a\u{1B}]0;owned\u{07}\u{1B}[2J/raw", Synthetic.around(100))
        r.environment.cpu.modelName = "x\u{1B}[H\u{1B}[2J"
        let file = try Synthetic.write(r, "terminal")
        defer { unlink(file) }
        for args in [["report", file], ["compare", file, file], ["history", file], ["report", file, "--format", "csv"]] {
            let out = try CLI.run(args)
            #expect(out.status == 0, "\(args): \(out.stderr)")
            #expect(!(out.stdout + out.stderr).contains("\u{1B}"), "\(args)")
            #expect(out.stdout.contains("\\e]0;owned\\x07"), "\(args): \(out.stdout)")
        }
    }

    @Test func aHistoryOfASkippedBenchmarkFitsANarrowTerminal() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for i in 0..<8 {
            var skipped = Synthetic.result("timer/rdtscp", [])
            skipped.status = .skipped
            skipped.summary = nil
            skipped.error = "this CPU has no RDTSCP"
            let r = Synthetic.report(kernel: "6.1.0-\(i + 1)-cloud-amd64", startedAt: "2026-11-29T07:0\(i):00Z",
                                     [Synthetic.result("syscall/a/raw", Synthetic.around(100 + Double(i))), skipped])
            try OutputFile.write(Data(try PrettyJSON.string(r).utf8), to: dir + "/\(i).json")
        }
        let r = try CLI.run(["history", dir, "--output", dir + "/history.txt"], environment: ["COLUMNS": "40"])
        #expect(r.status == 0, "\(r.stderr)")
        let text = try String(contentsOfFile: dir + "/history.txt", encoding: .utf8)
        #expect(text.contains("timer/rdtscp") && text.contains("no figure in any run") && text.contains("syscall/a/raw"), "\(text)")
    }
}

/// Counts deliveries of one signal to a handler (for `SignalDeferral`'s test).
enum SignalCounter {
    static let count = Atomic<Int>(0)

    static func install(_ signal: Int32) -> @Sendable () -> Int {
        count.store(0, ordering: .relaxed)
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in SignalCounter.count.add(1, ordering: .relaxed) }
        sigemptyset(&action.sa_mask)
        sigaction(signal, &action, nil)
        return { count.load(ordering: .relaxed) }
    }
}
