import Foundation
@testable import SysCost
@testable import SysCostModel
@testable import SysCostAnalysis
@testable import SysCostRender
import Testing

/// Runs the built `syscost` executable (it sits beside the test bundle), or the one
/// `SYSCOST_EXECUTABLE` names: the CLI tests run against another build (an older main, to see
/// that a test fails there).
struct CLI {
    static var executable: URL {
        if let other = ProcessInfo.processInfo.environment["SYSCOST_EXECUTABLE"] { return URL(fileURLWithPath: other) }
        let bundle = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? "")
        return bundle.deletingLastPathComponent().appendingPathComponent("syscost")
    }

    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// `user`: run as that uid (and gid) through setpriv, with no supplementary groups.
    static func start(_ arguments: [String], as user: String? = nil) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        if let user {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
            process.arguments = ["--reuid=\(user)", "--regid=\(user)", "--clear-groups", executable.path] + arguments
        } else {
            process.executableURL = executable
            process.arguments = arguments
        }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        return (process, out, err)
    }

    /// `stderrSoFar`: what `waitFor` already read of its stderr.
    /// Both pipes are drained at once (stderr on a thread of its own), so a program that fills
    /// one while the other is read never blocks.
    static func finish(_ started: (Process, Pipe, Pipe), stderrSoFar: String = "") -> Outcome {
        let (process, out, err) = started
        final class Box: @unchecked Sendable { var data = Data() }
        let box = Box(), drained = DispatchSemaphore(value: 0)
        let errHandle = err.fileHandleForReading
        Thread.detachNewThread { box.data = errHandle.readDataToEndOfFile(); drained.signal() }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        drained.wait()
        let stderr = box.data
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                       stderr: stderrSoFar + String(decoding: stderr, as: UTF8.self))
    }

    /// Reads the program's stderr until it says `text` (it got to that state), however long
    /// that takes on a loaded machine; returns what it read. Throws if the program ends first.
    static func waitFor(_ text: String, in started: (Process, Pipe, Pipe)) throws -> String {
        var seen = Data()
        while true {
            let chunk = started.2.fileHandleForReading.availableData
            if chunk.isEmpty { throw CheckFailure("the program ended before it said '\(text)': \(String(decoding: seen, as: UTF8.self))") }
            seen += chunk
            if String(decoding: seen, as: UTF8.self).contains(text) { return String(decoding: seen, as: UTF8.self) }
        }
    }

    static func run(_ arguments: [String], as user: String? = nil) throws -> Outcome { finish(try start(arguments, as: user)) }

    /// The fallback files (`syscost-unsaved-*`) an error message names.
    static func fallbacks(in stderr: String) -> [String] {
        stderr.split(whereSeparator: { " \n():".contains($0) }).map(String.init).filter { $0.contains("/syscost-unsaved-") }
    }

    /// A fresh path for a report in the temporary directory (the caller unlinks it).
    static func reportPath(_ tag: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("syscost-\(tag)-\(UUID()).json").path
    }
}

@Suite struct CLITests {
    @Test func executableIsBuilt() {
        #expect(FileManager.default.isExecutableFile(atPath: CLI.executable.path), "\(CLI.executable.path)")
    }

    @Test func badPatternExits2NamingTheClosestIds() throws {
        let r = try CLI.run(["run", "syscall/getppid/rwa"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("no benchmark matches 'syscall/getppid/rwa'"))
        #expect(r.stderr.contains("syscall/getppid/raw"))
        #expect(r.stdout.isEmpty)
    }

    @Test func cpuOutsideTheAllowedSetExits2NamingTheAllowedOnes() throws {
        let r = try CLI.run(["run", "--cpu", "4095", "syscall/getppid/raw"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("CPU 4095 is not in this process's allowed set"))
        #expect(r.stderr.contains("allowed CPUs: \(CPUSet.describe(CPUSet.allowed()))"))
    }

    @Test(arguments: [
        (["run", "--repetitions", "0"], "--repetitions is 1 to 1000000"),
        (["run", "--format", "xml"], "unknown format 'xml'"),
        (["run", "--min-batch-time", "0"], "--min-batch-time is 0.001 to 500 ms (got 0.0)"),
        (["frobnicate"], "Unexpected argument 'frobnicate'"),
    ])
    func badUsageExits2(arguments: [String], message: String) throws {
        let r = try CLI.run(arguments)
        #expect(r.status == 2)
        #expect(r.stderr.contains(message), "stderr: \(r.stderr)")
    }

    @Test func listJSONIsAnArrayOfEntries() throws {
        let r = try CLI.run(["list", "--json"])
        #expect(r.status == 0)
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
        #expect(entries.count == Catalog.all().count)
        for entry in entries {
            for key in ["id", "suite", "category", "description"] { #expect(entry[key] is String, "\(key) in \(entry)") }
        }
    }

    @Test func runWritesTheReportAndPrintsATable() throws {
        let path = CLI.reportPath("cli")
        defer { unlink(path) }
        let r = try CLI.run(["run", "syscall/getppid/raw", "--repetitions", "3", "--min-batch-time", "1",
                             "--warmup", "0", "--output", path])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout.contains("syscall/getppid/raw"))
        let report = try RunReport.decode(try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(report.results.map(\.id) == ["syscall/getppid/raw"])
        #expect(report.results[0].samples.count == 3)
        #expect(!report.interrupted)
    }

    /// SIGINT mid-run: the run stops after the current batch and the report it writes is whole.
    @Test func interruptedRunStillWritesAValidReport() throws {
        let path = CLI.reportPath("int")
        defer { unlink(path) }
        let started = try CLI.start(["run", "syscall", "--repetitions", "200", "--warmup", "0", "--output", path])
        let said = try CLI.waitFor("round 1/200 done", in: started)
        kill(started.0.processIdentifier, SIGINT)
        let r = CLI.finish(started, stderrSoFar: said)
        #expect(r.status == 130, "stderr: \(r.stderr)")
        let report = try RunReport.decode(try Data(contentsOf: URL(fileURLWithPath: path)))
        let interrupted = report.interrupted
        #expect(interrupted)
        let partial = report.results.filter { $0.status == .interrupted && !$0.samples.isEmpty }.count
        #expect(partial > 0)
        let measuredRepetitions = report.results.map(\.samples.count).max() ?? 0
        #expect(measuredRepetitions < 200)
    }
}

@Suite struct FormatTests {
    /// Every printing command takes --format, and --json as its shorthand; a format a command
    /// cannot print, or an unknown counter name, is bad usage (exit 2) with a message.
    @Test func formatAndJSONShorthandEverywhere() throws {
        let list = try CLI.run(["list", "syscall/getppid/raw", "--json"])
        #expect(list.status == 0 && list.stdout.contains("\"syscall/getppid/raw\""), "\(list.stderr)")
        let same = try CLI.run(["list", "syscall/getppid/raw", "--format", "json"])
        #expect(same.stdout == list.stdout)
        let counters = try CLI.run(["counters", "task-clock", "--json"])
        #expect(counters.status == 0 && counters.stdout.contains("\"task-clock\""), "\(counters.stderr)")
        let bad = try CLI.run(["list", "--format", "csv"])
        #expect(bad.status == 2 && bad.stderr.contains("unknown format 'csv'; use table or json"), "\(bad.stderr)")
        let clash = try CLI.run(["list", "--json", "--format", "table"])
        #expect(clash.status == 2 && clash.stderr.contains("disagree"), "\(clash.stderr)")
    }

    @Test func unknownCounterNameExits2() throws {
        let r = try CLI.run(["counters", "task-clock", "no-such-event"])
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stderr.contains("unknown counter: no-such-event"), "\(r.stderr)")
        #expect(r.stdout.contains("task-clock"))  // the table still says what each name is
    }

    /// A saved report prints in every format, as the run printed it.
    @Test func reportRendersASavedRunInEveryFormat() throws {
        let path = CLI.reportPath("fmt")
        defer { unlink(path) }
        let run = try CLI.run(["run", "syscall/getppid/raw", "--repetitions", "3", "--min-batch-time", "1", "--warmup", "0",
                               "--output", path])
        #expect(run.status == 0, "\(run.stderr)")
        let table = try CLI.run(["report", path])
        #expect(table.status == 0 && table.stdout == run.stdout, "\(table.stderr)")
        for (format, marker) in [("markdown", "| `syscall/getppid/raw` |"), ("csv", "id,suite,category"),
                                 ("json", "\"syscost.run/3\""), ("html", "<!doctype html>")] {
            let r = try CLI.run(["report", path, "--format", format])
            #expect(r.status == 0 && r.stdout.contains(marker), "\(format): \(r.stderr)")
        }
    }
}
