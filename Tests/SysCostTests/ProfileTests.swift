import Foundation
@testable import SysCost
@testable import SysCostModel
@testable import SysCostSuites
@testable import SysCostRender
import Testing
import SysCostTestSupport

/// `syscost profile -- COMMAND`: counts by the kernel, the command's own exit status and
/// streams, signals passed on, and what is said when counting is not allowed.
@Suite struct ProfileTests {
    static let root = geteuid() == 0

    /// A saved run of this machine and kernel to price from (synthetic figures): the tests
    /// measure no prices of their own. `profile` takes prices only from a run of the machine it
    /// runs on, so this input (and no expectation) is made with the live environment.
    static let prices: String = {
        let ids = ["syscall/invalid/raw": 80.0, "syscall/read/raw": 180, "syscall/write/raw": 160, "syscall/getppid/raw": 120,
                   "ctxswitch/pipe-process/same-cpu": 2000]
        var report = Synthetic.report(ids.map { Synthetic.result($0.key, Synthetic.around($0.value)) })
        report.environment = EnvironmentCapture.capture()
        // One fixed file, rewritten by each test process (a static has no teardown to remove it).
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("syscost-test-prices.json").path
        guard let text = try? PrettyJSON.string(report), (try? OutputFile.write(Data(text.utf8), to: path)) != nil else { return "/nonexistent" }
        return path
    }()

    /// dd copying 1000 one-byte blocks makes exactly 1000 reads and 1000 writes of its own,
    /// whatever its C runtime does at startup (which reads no 1-byte block): both counted.
    @Test(.enabled(if: root)) func countsEveryCallOfTheCommand() throws {
        let path = CLI.reportPath("profile")
        defer { unlink(path) }
        let r = try CLI.run(["profile", "--prices", Self.prices, "--format", "json", "--output", path, "--",
                             "dd", "if=/dev/zero", "of=/dev/null", "bs=1", "count=1000", "status=none"])
        #expect(r.status == 0, "\(r.stderr)")
        let report = try ProfileReport.decode(try Data(contentsOf: URL(fileURLWithPath: path)))
        let calls = Dictionary(uniqueKeysWithValues: report.syscalls.map { ($0.name, $0.calls) })
        // The runtime reads a few files at startup (ld.so.cache, libc): at most a handful of reads.
        #expect((1000...1010).contains(calls["read"] ?? 0), "\(calls)")
        #expect((1000...1005).contains(calls["write"] ?? 0), "\(calls)")
        #expect(report.syscallsUnavailable == nil && report.exit.status == 0)
        #expect(report.prices?.prices["read"]?.basis == .catalog(BenchmarkID(.syscall, "read", "raw")), "\(String(describing: report.prices))")
        #expect(report.prices?.prices["execve"] == nil || report.prices?.prices["execve"]?.basis == .entryOnly)
        let text = try (report).export(as: .table)
        #expect(text.contains("privilege switches:") && text.contains("process switches:"), "\(text)")
        // What counting cost each call is measured and said (or why not).
        #expect(report.countingOverhead != nil || report.countingOverheadUnavailable != nil)
        #expect(text.contains("counting: each call ran") || text.contains("counting overhead not measured"), "\(text)")
    }

    /// The command's exit status is syscost's, a signal's as 128 + n; its stdout is its own.
    @Test(.enabled(if: root)) func theCommandsStatusAndStreamsAreItsOwn() throws {
        let seven = try CLI.run(["profile", "--prices", Self.prices, "--", "sh", "-c", "echo out; echo err >&2; exit 7"])
        #expect(seven.status == 7, "\(seven.stderr)")
        #expect(seven.stdout == "out\n", "the command's stdout, untouched: \(seven.stdout)")
        #expect(seven.stderr.hasPrefix("err\n") && seven.stderr.contains("syscost profile: sh -c"), "\(seven.stderr)")
        let killed = try CLI.run(["profile", "--prices", Self.prices, "--", "sh", "-c", "kill -TERM $$"])
        #expect(killed.status == 128 + SIGTERM, "\(killed.stderr)")
        #expect(killed.stderr.contains("killed by signal \(SIGTERM)"), "\(killed.stderr)")
    }

    @Test func aCommandNotFoundExits127() throws {
        let r = try CLI.run(["profile", "--prices", Self.prices, "--", "/nonexistent/syscost-no-such-command"])
        #expect(r.status == 127, "\(r.stderr)")
        #expect(r.stderr.contains("/nonexistent/syscost-no-such-command: command not found"), "\(r.stderr)")
        let none = try CLI.run(["profile"])
        #expect(none.status == 2 && none.stderr.contains("no command"), "\(none.stderr)")
    }

    /// SIGINT sent to syscost reaches the command (here the only process left of it), and the
    /// counts until then are reported. The command says when it is running; nothing is timed.
    @Test(.enabled(if: root)) func aSignalToSyscostReachesTheCommand() throws {
        let started = try CLI.start(["profile", "--prices", Self.prices, "--", "sh", "-c", "echo running >&2; exec sleep 60"])
        _ = try CLI.waitFor("running", in: started)
        kill(started.0.processIdentifier, SIGINT)
        let r = CLI.finish(started)
        #expect(r.status == 128 + SIGINT, "\(r.stderr)")
        // The counts until then are reported: sh's write of "running" at least (whether the
        // signal came before or after sh became sleep).
        #expect(r.stderr.contains("interrupted") && r.stderr.contains("\nwrite "), "\(r.stderr)")
    }

    /// Without the rights to count syscalls (unprivileged, perf_event_paranoid 2), the report
    /// says what is missing and still gives what wait4 knows; the command runs all the same.
    @Test(.enabled(if: root && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")))
    func unprivilegedSaysWhatIsMissing() throws {
        let r = try CLI.run(["profile", "--prices", Self.prices, "--", "/bin/true"], as: "65534")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("not counted: "), "\(r.stderr)")
        #expect(r.stderr.contains("voluntary + involuntary switches (wait4)"), "\(r.stderr)")
    }

    /// The tracefs lookup through the host seam: ids read per syscall; an unreadable tree named.
    @Test func tracefsIsReadThroughTheSeam() throws {
        let files = ["/sys/kernel/tracing/events/syscalls/sys_enter_getppid/id": "110\n",
                     "/sys/kernel/tracing/events/syscalls/sys_enter_write/id": "700\n"]
        let host = HostSystem(read: { files[$0] }, list: { path in
            path == "/sys/kernel/tracing/events/syscalls" ? ["enable", "filter", "sys_enter_getppid", "sys_exit_getppid", "sys_enter_write"] : nil
        }, perf: .live)
        let t = try Tracefs.open(host: host, mount: { _ in EPERM }).get()
        #expect(t.syscalls == ["getppid": 110, "write": 700] && !t.mountedBySyscost)
        let none = HostSystem(read: { _ in nil }, list: { _ in nil }, perf: .live)
        guard case .failure(let why) = Tracefs.open(host: none, mount: { _ in EPERM }) else { Issue.record("mounted?"); return }
        #expect(why.reason.contains("not mounted") && why.reason.contains("Operation not permitted"), "\(why)")
    }
}
