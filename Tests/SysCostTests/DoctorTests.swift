import Foundation
@testable import SysCost
@testable import SysCostModel
import Testing
import SysCostTestSupport

@Suite struct DoctorTests {
    static func load(_ cpu: Int, busy: Double, runnable: [String] = [], steal: Double = 0) -> HostState.CPULoad {
        .init(cpu: cpu, busy: busy, steal: steal, irq: 0, runnable: runnable, siblings: [], governor: "performance",
              isolated: false, nohzFull: false)
    }

    @Test func verdictsAndTheQuietestCPU() {
        let state = HostState(sampledMs: 500, cpus: [Self.load(0, busy: 0.01), Self.load(1, busy: 1, runnable: ["burner"]),
                                                     Self.load(2, busy: 0.08), Self.load(3, busy: 0.01, steal: 0.05)],
                              boost: nil, rcuNocbs: nil, perfSampleRate: nil, hypervisor: "none")
        #expect(state.verdict(for: 0) == .quiet && state.verdict(for: 1) == .unusable)
        #expect(state.verdict(for: 2) == .noisy && state.verdict(for: 3) == .noisy)
        #expect(state.quietest(among: [0, 1, 2, 3]) == 3 || state.quietest(among: [0, 1, 2, 3]) == 0)
        #expect(state.quietest(among: [1, 2]) == 2)
        let findings = state.findings(for: 1, allowed: [0, 1, 2, 3])
        #expect(findings.first?.hasPrefix("CPU 1 is busy: 100% of the last 500 ms, running burner — measure on CPU") == true, "\(findings)")
        #expect(state.findings(for: 3, allowed: [3]).contains { $0.contains("steal") })
        // Nothing quieter to name: no false advice.
        let alone = HostState(sampledMs: 100, cpus: [Self.load(0, busy: 0.9), Self.load(1, busy: 0.1)], boost: nil, rcuNocbs: nil,
                              perfSampleRate: nil, hypervisor: "none")
        #expect(alone.findings(for: 1, allowed: [0, 1]).first?.hasSuffix("no allowed CPU is quieter)") == true)
    }

    /// The probe reads /proc through the host seam: a fake /proc where CPU 1 was busy for the
    /// whole interval and a task named burner runs on it.
    @Test func probeReadsProcThroughTheSeam() {
        final class Calls: @unchecked Sendable { let lock = NSLock(); var stat = 0 }
        let calls = Calls()
        let fake = HostSystem(
            read: { path in
                switch path {
                case "/proc/stat":
                    calls.lock.lock(); defer { calls.lock.unlock() }
                    calls.stat += 1
                    return calls.stat == 1 ? "cpu 0 0 0 0\ncpu0 100 0 100 800 0 0 0 0\ncpu1 100 0 0 900 0 0 0 0\n"
                        : "cpu 0 0 0 0\ncpu0 110 0 100 1790 0 0 0 0\ncpu1 1000 0 100 900 0 0 0 0\n"
                case "/proc/4242/task/4242/stat":
                    return "4242 (burner) R " + Array(repeating: "0", count: 35).joined(separator: " ") + " 1 0 0"
                default: return nil
                }
            },
            list: { path in
                switch path {
                case "/proc": return ["4242", "self", "1"]
                case "/proc/4242/task": return ["4242"]
                default: return nil
                }
            },
            perf: .live)
        let state = HostProbe.sample(cpus: [0, 1], milliseconds: 1, scans: 1, host: fake)
        #expect(state.load(1)?.busy == 1 && state.load(1)?.runnable == ["burner"])
        #expect(abs((state.load(0)?.busy ?? 1) - 0.01) < 1e-9 && state.load(0)?.runnable == [])
        #expect(state.quietest(among: [0, 1]) == 0 && state.verdict(for: 1) == .unusable)
    }

    /// A busy loop pinned on the last CPU: doctor names that CPU busy, and run measures
    /// elsewhere or says why not.
    @Test func aBusyLastCPUIsNamedAndAvoided() throws {
        let allowed = CPUSet.allowed()
        guard allowed.count > 1, let last = allowed.last else { return }
        let burner = Process()
        burner.executableURL = URL(fileURLWithPath: "/usr/bin/taskset")
        burner.arguments = ["-c", "\(last)", "sh", "-c", "while :; do :; done"]
        try burner.run()
        // SIGKILL: a child of the test runner may start with SIGTERM blocked.
        defer { kill(burner.processIdentifier, SIGKILL); burner.waitUntilExit() }
        let doctor = try CLI.run(["doctor", "--cpu", "\(last)", "--sample", "300", "--canary", "0.1"])
        #expect(doctor.status == 0, "\(doctor.stderr)")
        #expect(doctor.stdout.contains("CPU \(last) is busy"), "\(doctor.stdout)")
        #expect(!doctor.stdout.contains("verdict: quiet"), "\(doctor.stdout)")
        let path = CLI.reportPath("doctor")
        defer { unlink(path) }
        let run = try CLI.run(["run", "syscall/getppid/raw", "--repetitions", "3", "--min-batch-time", "1", "--warmup", "0", "--output", path])
        #expect(run.status == 0, "\(run.stderr)")
        let report = try RunReport.decode(try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(report.config.cpu != last || run.stderr.contains("warning: CPU \(last) is busy"), "\(run.stderr)")
        #expect(report.environment.host?.load(last)?.busy ?? 0 > 0.5)
    }
}
