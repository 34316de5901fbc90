import Foundation
@testable import SysCost
@testable import SysCostModel
@testable import SysCostAnalysis
@testable import SysCostRender
import Testing
import SysCostTestSupport

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
        (["run", "--format", "xml"], "The value 'xml' is invalid for '--format <format>'"),
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
        #expect(bad.status == 2 && bad.stderr.contains("this command does not write format 'csv'; use table or json"), "\(bad.stderr)")
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
