import Foundation
@testable import SysCost
@testable import SysCostAnalysis
@testable import SysCostModel
@testable import SysCostRender
import Testing
import SysCostTestSupport

/// Comparisons a regression tracker can trust: which runs may be compared, where they are
/// filed, what an interrupted run gets, and that nothing measured is lost.
@Suite struct MachineTests {
    /// This machine's run as another CPU (an Intel Xeon VM also named `vm`) would have made it.
    static func onIntel(_ report: RunReport) -> RunReport {
        var r = report
        r.environment.cpu = .init(vendor: "GenuineIntel", modelName: "Intel Xeon Processor (Cascadelake)", family: 6, model: 85,
                                  stepping: 7, microcode: "0x1")
        r.environment.machine = nil
        var f = MachineFingerprint(derivedFrom: r.environment)
        f.machineIDHash = "0badcafe"
        r.environment.machine = f
        return r
    }

    static var amd: RunReport {
        Synthetic.report([Synthetic.result("syscall/getppid/raw", Synthetic.around(117)),
                          Synthetic.result("vdso/time/vdso", Synthetic.around(2))])
    }

    @Test func twoMachinesWithOneHostnameSaveApart() {
        let a = Self.amd, b = Self.onIntel(Self.amd)
        #expect(a.environment.hostname == b.environment.hostname)
        #expect(a.environment.fingerprint.key != b.environment.fingerprint.key)
        #expect(a.environment.fingerprint.key.rawValue.hasPrefix(MachineKey.sanitize(a.environment.hostname) + "-"))
        let pa = SavedRuns.path(for: a, under: "results"), pb = SavedRuns.path(for: b, under: "results")
        #expect((pa as NSString).deletingLastPathComponent != (pb as NSString).deletingLastPathComponent)
        // The same machine with a machine-id differs from one with another id, though all else is alike.
        var twin = Self.amd
        twin.environment.machine?.machineIDHash = "12345678"
        var other = Self.amd
        other.environment.machine?.machineIDHash = "87654321"
        #expect(twin.environment.fingerprint.key != other.environment.fingerprint.key)
    }

    /// Two TCG runs look alike from inside the guest (QEMU's CPU, `vm-qemu`): the host that
    /// emulated each tells them apart, and a report without one keeps its old key.
    @Test func emulatedRunsOfTwoHostsAreTwoMachines() throws {
        func emulated(_ host: String?) -> RunReport {
            var r = Self.amd
            r.environment.emulated = true
            r.environment.hostname = "vm-qemu"
            r.environment.machine = nil
            var f = MachineFingerprint(derivedFrom: r.environment)
            f.emulatingHost = host
            r.environment.machine = f
            return r
        }
        let onAMD = emulated("AMD EPYC · vm · vm-c52dc804"), onIntel = emulated("Intel Xeon Processor (Cascadelake) · vm · vm-1e0f3a2b")
        #expect(onAMD.environment.fingerprint.key != onIntel.environment.fingerprint.key)
        #expect(onAMD.environment.fingerprint.differences(from: onIntel.environment.fingerprint).map(\.field) == ["emulating host"])
        #expect(throws: SysCostError.self) { try Comparison.compare(base: onAMD, new: onIntel) }
        #expect(History.perMachine([("a.json", onAMD), ("b.json", onIntel)]).count == 2)
        // A report from before the host was recorded: the key it always had, and no disagreement.
        let old = emulated(nil)
        var unrecorded = old.environment.fingerprint
        unrecorded.emulatingHost = nil
        #expect(old.environment.fingerprint.key == MachineFingerprint(derivedFrom: old.environment).key)
        #expect(old.environment.fingerprint.differences(from: onAMD.environment.fingerprint).isEmpty)
    }

    /// One machine under two kernels: MemTotal moves with the kernel's reservations (these two
    /// figures are 6.1's and 6.12's in one 2 GiB guest), the machine does not.
    @Test func aKernelsOwnMemoryDoesNotMakeAnotherMachine() throws {
        var a = Self.amd, b = Self.amd
        a.environment.machine?.memoryBytes = 2_074_644_480
        b.environment.machine?.memoryBytes = 2_069_225_472
        b.environment.kernel.release = "6.12.117+deb12-cloud-amd64"
        #expect(a.environment.fingerprint.key == b.environment.fingerprint.key)
        #expect(try Comparison.compare(base: a, new: b).noVerdicts == nil)
        b.environment.machine?.memoryBytes = 4 << 30
        #expect(a.environment.fingerprint.differences(from: b.environment.fingerprint).map(\.base) == ["2 GiB"])
    }

    @Test func hostileHostnamesStayInTheirFolder() {
        for name in ["..", "../../etc", "a/b", "", ".", "x\u{0}y", String(repeating: "z", count: 300)] {
            var r = Self.amd
            r.environment.hostname = name
            r.environment.machine?.hostname = name
            let key = r.environment.fingerprint.key.rawValue
            #expect(!key.contains("/") && !key.hasPrefix(".") && key.count <= 41, "\(name) → \(key)")
            #expect(SavedRuns.path(for: r, under: "results").hasPrefix("results/\(key)/"))
        }
    }

    /// A committed report (no fingerprint) and a run of its machine with one still compare.
    @Test func aReportWithoutFingerprintMatchesItsMachine() throws {
        var old = Self.amd
        old.environment.machine = nil
        #expect(old.environment.fingerprint.differences(from: Self.amd.environment.fingerprint).isEmpty)
        let c = try Comparison.compare(base: old, new: Self.amd)
        #expect(c.noVerdicts == nil && c.rows.allSatisfy { $0.verdict != nil })
    }

    @Test func compareAcrossMachinesIsRefusedOrRatiosOnly() throws {
        let base = try Synthetic.write(Self.amd, "amd"), other = try Synthetic.write(Self.onIntel(Self.amd), "intel")
        var emulatedReport = Self.amd
        emulatedReport.environment.emulated = true
        emulatedReport.environment.machine?.emulated = true
        let emulated = try Synthetic.write(emulatedReport, "tcg")
        defer { for p in [base, other, emulated] { unlink(p) } }
        for (new, names) in [(other, ["CPU vendor: AuthenticAMD → GenuineIntel", "CPU model name"]), (emulated, ["CPU kind: hardware → emulated (QEMU TCG)"])] {
            let refused = try CLI.run(["compare", base, new])
            #expect(refused.status == 2, "\(refused.stderr)")
            for name in names { #expect(refused.stderr.contains(name), "\(refused.stderr)") }
            #expect(refused.stderr.contains("--across-machines") && refused.stdout.isEmpty)
            let ratios = try CLI.run(["compare", base, new, "--across-machines", "--format", "json"])
            #expect(ratios.status == 0, "\(ratios.stderr)")
            let c = try JSONDecoder().decode(Comparison.self, from: Data(ratios.stdout.utf8))
            #expect(!c.rows.isEmpty && c.rows.allSatisfy { $0.verdict == nil } && c.noVerdicts?.contains("different machines") == true)
        }
    }

    @Test func anInterruptedSideGetsNoVerdicts() throws {
        var partial = Self.amd
        partial.interrupted = true
        partial.results[0].samples = Synthetic.around(300)
        partial.results[0].summary = Summary(samples: partial.results[0].samples)
        let c = try Comparison.compare(base: Self.amd, new: partial, baseName: "A", newName: "B")
        #expect(c.interrupted == ["B"] && c.regressions.isEmpty && c.rows.allSatisfy { $0.verdict == nil })
        #expect(try (c).export(as: .table).contains("No verdicts: B was interrupted"))
        let h = History.perMachine([("a.json", Self.amd), ("b.json", partial)])
        #expect(h.count == 1 && h[0].rows[0].cells[1]?.verdict == nil && h[0].rows[0].cells[1]?.change != nil)
    }

    @Test func historyKeepsMachinesApart() throws {
        let runs = [("a.json", Self.amd), ("b.json", Self.onIntel(Self.amd)), ("c.json", Self.amd)]
        let histories = History.perMachine(runs)
        #expect(histories.count == 2 && histories.map(\.runs.count).sorted() == [1, 2])
        let intelKey = Self.onIntel(Self.amd).environment.fingerprint.key.rawValue
        #expect(History.perMachine(runs, machine: String(intelKey.prefix(11))).map(\.runs.count) == [1])
        #expect(History.perMachine(runs, last: 1).map(\.runs.count) == [1, 1])
        let text = try HistoryDocument(histories).export(as: .table)
        #expect(text.contains("Machine \(intelKey): Intel Xeon"))
        // Too wide for the line: a block per benchmark.
        let narrow = try HistoryDocument(histories).export(as: .table, ExportOptions(width: 20))
        #expect(narrow.contains("syscall/getppid/raw (ns/op)\n"))
    }

    @Test func environmentDifferencesStandBesideTheRowsTheyMove() throws {
        var filtered = Self.amd
        filtered.environment.seccomp.installed = .init(spec: "1000", kind: "argument-reading", instructions: 1000, getppidBeforeNs: 117,
                                                       getppidAfterNs: 320, costPerCallNs: 203, costPerInstructionNs: nil, slope: nil)
        filtered.results[1].syscallsPerOp = 0
        let c = try Comparison.compare(base: Self.amd, new: filtered)
        #expect(c.rows.first { $0.id == "syscall/getppid/raw" }?.explainedBy == ["seccomp"])
        #expect(c.rows.first { $0.id == "vdso/time/vdso" }?.explainedBy == [])
    }

    @Test func thresholdsByGlobFirstMatchWins() throws {
        let t = Thresholds(default: 5, rules: [.init(pattern: "syscall/getppid/*", percent: 1), .init(pattern: "syscall/*", percent: 10)])
        #expect(t.fraction(for: "syscall/getppid/raw") == 0.01)
        #expect(t.fraction(for: "syscall/read/raw") == 0.10)
        #expect(t.fraction(for: "ctxswitch/pipe-process/same-cpu") == 0.05)
        let bad = CLI.reportPath("thresholds")
        defer { unlink(bad) }
        try #"{"rules": "syscall/*"}"#.write(toFile: bad, atomically: true, encoding: .utf8)
        #expect(throws: SysCostError.self) { try Thresholds.load(bad) }
    }

    /// A hand-made report whose canary has no rounds: no host shift, and no crash in
    /// `compare` or `history` (reports travel; a malformed one is never fatal).
    @Test func aCanaryWithoutRoundsCountsAsNone() throws {
        var base = Self.amd, new = Self.amd
        base.canary = HostCanary(samples: [], nsPerOp: 0, ghz: 0)
        new.canary = HostCanary(samples: Synthetic.around(10), nsPerOp: 10, ghz: 3.6)
        #expect(try Comparison.compare(base: base, new: new).hostShift == nil)
        let h = History.build([("a.json", base), ("b.json", new)])
        #expect(h.rows.allSatisfy { $0.cells.count == 2 })
    }

    /// The host's canary ran 40% slower in NEW: it is shown, with its correlation, and never
    /// judged by: a 30% change is a regression all the same (the canary does not follow what
    /// kernel entry sees on a shared host: README "Did it change?"), and so is a tripling.
    @Test func theCanaryIsShownNeverJudgedBy() throws {
        var base = Self.amd, new = Self.amd
        base.canary = HostCanary(samples: Synthetic.around(10), nsPerOp: 10, ghz: 3.6)
        new.canary = HostCanary(samples: Synthetic.around(14), nsPerOp: 14, ghz: 2.6)
        new.results[0].samples = Synthetic.around(117 * 1.3)
        new.results[0].summary = Summary(samples: new.results[0].samples)
        new.results[1].samples = Synthetic.around(2 * 3)
        new.results[1].summary = Summary(samples: new.results[1].samples)
        let c = try Comparison.compare(base: base, new: new, baseName: "A", newName: "B", spread: Synthetic.spread(for: base))
        #expect(abs((c.hostShift ?? 0) - 1.4) < 1e-9)
        #expect(c.rows.first { $0.id == "syscall/getppid/raw" }?.verdict == .regression)
        #expect(c.rows.first { $0.id == "vdso/time/vdso" }?.verdict == .regression)
        let text = try (c).export(as: .table)
        #expect(text.contains("Host canary") && text.contains("Shown, never judged by") && text.contains("rank correlation"), "\(text)")
    }
}
