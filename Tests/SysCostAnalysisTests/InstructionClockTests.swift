import Foundation
import SysCostAnalysis
import SysCostModel
import SysCostRender
import Testing
import SysCostTestSupport

/// Runs under qemu's instruction clock (`kernel-matrix.sh --accel icount`): their figures are
/// guest instructions in every format, they are one machine whatever host emulated them, and
/// they are never compared with timed runs. All on synthetic reports: nothing here reads the
/// live host.
@Suite struct InstructionClockTests {
    static let max = InstructionClock(cpuModel: "max")

    /// Two boots' worth of rounds of the ENOSYS floor and getppid, exact to a millionth, plus a
    /// pipe switch whose rounds vary by 0.4% (by `seed`), as switches do between boots.
    static func boot(kernel: String, floor: Double, getppid: Double, pipe: Double, seed: Int, clock: InstructionClock = max,
                     host: String = "AMD EPYC · vm · vm-47ce8116", cmdline: String? = nil) -> RunReport {
        let wobble = { (i: Int) in 1 + 1e-7 * Double((i * 7 + seed) % 5) }
        var results = [Synthetic.result("syscall/invalid/raw", (0..<10).map { floor * wobble($0) }),
                       Synthetic.result("syscall/getppid/raw", (0..<10).map { getppid * wobble($0) }),
                       Synthetic.result("ctxswitch/pipe-process/same-cpu", (0..<10).map { pipe * (1 + 0.002 * Double(($0 + seed) % 3)) })]
        results[2].unit = .nsPerSwitch
        return Synthetic.report(kernel: kernel, startedAt: "2026-12-04T21:\(10 + seed):00Z", clock: clock, emulatingHost: host,
                                cmdline: cmdline, results)
    }

    @Test func everyFormatSaysInstructionsAndNeverNanoseconds() throws {
        let report = Self.boot(kernel: "6.12.118+deb12-cloud-amd64", floor: 205.01, getppid: 322.01, pipe: 5729.2, seed: 1)
        for format in OutputFormat.allCases where RunReport.formats.contains(format) && format != .googleBenchmark {
            let text = try report.export(as: format, ExportOptions(pretty: true))
            #expect(!text.contains("ns/op") && !text.contains("ns/switch") && !text.contains("ns/round-trip"), "\(format) names ns")
            #expect(!text.contains(" ns ") && !text.contains("p10 ns") && !text.contains("syscost_op_seconds"), "\(format) names ns")
            #expect(text.contains("insn") || text.contains("instructions"), "\(format) does not say instructions")
        }
        // The one format with time units only refuses, naming why.
        #expect(throws: SysCostError.self) { try report.export(as: .googleBenchmark) }
        let table = try report.export(as: .table)
        #expect(table.contains("205.0 insn") && table.contains("insn/switch"))
        #expect(table.contains("qemu icount, cpu max"))
    }

    @Test func theSameTimedReportStillSaysNanoseconds() throws {
        var results = [Synthetic.result("syscall/invalid/raw", Synthetic.around(82)), Synthetic.result("syscall/getppid/raw", Synthetic.around(115))]
        results[0].unit = .nsPerOp
        let table = try Synthetic.report(results).export(as: .table)
        #expect(table.contains("p10 ns") && !table.contains("insn"))
    }

    @Test func aTimedRunAndAnInstructionCountAreNeverCompared() throws {
        let icount = Self.boot(kernel: "6.12.118+deb12-cloud-amd64", floor: 205, getppid: 322, pipe: 5729, seed: 1)
        let timed = Synthetic.report([Synthetic.result("syscall/invalid/raw", Synthetic.around(82)),
                                      Synthetic.result("syscall/getppid/raw", Synthetic.around(115))])
        for scope in [Comparison.Scope.sameMachine, .acrossMachines] {
            do {
                _ = try Comparison.compare(base: timed, new: icount, scope: scope)
                Issue.record("a timed run was compared with an instruction count (\(scope))")
            } catch let error as SysCostError {
                #expect("\(error)".contains("counted guest instructions") && "\(error)".contains("nanoseconds"))
            }
        }
        // Within a side too.
        #expect(throws: SysCostError.self) {
            try Comparison.compare(.init("A", [icount, timed]), .init("B", [icount]))
        }
        // History never puts them in one table.
        let histories = History.perMachine([(path: "a", report: timed), (path: "b", report: icount)])
        #expect(histories.count == 2)
        #expect(histories.allSatisfy { h in Set(h.runs.map(\.instructions)).count == 1 })
    }

    @Test func anotherCPUModelIsAnotherMachine() throws {
        let a = Self.boot(kernel: "6.12.118+deb12-cloud-amd64", floor: 205, getppid: 322, pipe: 5729, seed: 1)
        let b = Self.boot(kernel: "6.12.118+deb12-cloud-amd64", floor: 205, getppid: 322, pipe: 5729, seed: 2,
                          clock: InstructionClock(cpuModel: "Skylake-Server"))
        #expect(a.environment.fingerprint.key != b.environment.fingerprint.key)
        #expect(throws: SysCostError.self) { try Comparison.compare(base: a, new: b) }
    }

    @Test func theEmulatingHostIsNoPartOfTheMachine() throws {
        let epyc = Self.boot(kernel: "6.12.118+deb12-cloud-amd64", floor: 205, getppid: 322, pipe: 5729, seed: 1)
        let xeon = Self.boot(kernel: "6.12.118+deb12-cloud-amd64", floor: 205, getppid: 322, pipe: 5729, seed: 2,
                             host: "Intel Xeon · vm · vm-0badf00d")
        #expect(epyc.environment.fingerprint.key == xeon.environment.fingerprint.key)
        #expect(epyc.environment.fingerprint.differences(from: xeon.environment.fingerprint).isEmpty)
        // TCG without icount: the host is the machine, as before.
        var tcgA = epyc.environment.fingerprint, tcgB = xeon.environment.fingerprint
        tcgA.instructionClock = nil; tcgB.instructionClock = nil
        #expect(tcgA.key != tcgB.key)
    }

    @Test func twoBootsOfOneKernelGiveNoVerdictAndAnEntryChangeIsARegression() throws {
        let base = (1...2).map { Self.boot(kernel: "6.12.100+deb12-cloud-amd64", floor: 392.3, getppid: 671.06, pipe: 4669, seed: $0) }
        let same = try Comparison.compare(.init("boot 1", [base[0]]), .init("boot 2", [base[1]]),
                                          thresholds: Thresholds(default: Comparison.instructionThreshold * 100), spread: nil)
        #expect(same.rows.allSatisfy { $0.verdict != .regression && $0.verdict != .improvement })
        // 20.5 more instructions on every entry: 5% on the floor, 3% on getppid.
        let new = (3...4).map { Self.boot(kernel: "6.12.118+deb12-cloud-amd64", floor: 412.8, getppid: 691.56, pipe: 4670, seed: $0) }
        let c = try Comparison.compare(.init("6.12.100", base), .init("6.12.118", new),
                                       thresholds: Thresholds(default: Comparison.instructionThreshold * 100))
        #expect(c.counted == .guestInstructions && c.instructionClock == "qemu icount, cpu max")
        let byID = Dictionary(uniqueKeysWithValues: c.rows.map { ($0.id, $0) })
        #expect(byID["syscall/invalid/raw"]?.verdict == .regression)
        #expect(byID["syscall/getppid/raw"]?.verdict == .regression)
        #expect(byID["syscall/getppid/raw"]?.unit == .insnPerOp)
        // The pipe's boots vary by 0.4%: its 0.02% change is no verdict.
        let pipe = byID["ctxswitch/pipe-process/same-cpu"]
        #expect(pipe?.verdict != .regression && pipe?.verdict != .improvement)
        let text = try c.export(as: .table)
        #expect(text.contains("insn/op") && text.contains("qemu icount, cpu max"))
    }

    @Test func aHistoryOfBootsLearnsItsSpreadAndNamesTheMove() throws {
        var runs: [(path: String, report: RunReport)] = []
        for (k, kernel) in ["6.12.100+deb12-cloud-amd64", "6.12.101+deb12-cloud-amd64", "6.12.107+deb12-cloud-amd64"].enumerated() {
            for b in 0..<2 {
                let floor = k == 2 ? 412.8 : 392.3
                runs.append(("\(kernel)/\(b)", Self.boot(kernel: kernel, floor: floor, getppid: 671, pipe: 4669, seed: 2 * k + b)))
            }
        }
        let histories = History.perMachine(runs, instructionThresholds: Thresholds(default: Comparison.instructionThreshold * 100))
        let h = try #require(histories.first)
        #expect(histories.count == 1 && h.threshold == Comparison.instructionThreshold)
        #expect(h.spread != nil)
        let floor = try #require(h.rows.first { $0.id == "syscall/invalid/raw" })
        #expect(floor.cells[1]?.verdict == .unchanged)
        #expect(floor.cells[4]?.verdict == .regression && floor.cells[5]?.verdict == .regression)
        let text = try HistoryDocument(histories).export(as: .table)
        #expect(text.contains("icount") && text.contains("guest instructions"))
    }

    @Test func bootOptionsAreTheirOwnGroupAndShown() throws {
        let plain = Self.boot(kernel: "6.12.118+deb12-cloud-amd64", floor: 412.8, getppid: 691.5, pipe: 4670, seed: 1,
                              cmdline: "console=ttyS0 panic=-1 quiet loglevel=3  SYSCOST_EMULATED=1 SYSCOST_CLOCK=icount")
        let off = Self.boot(kernel: "6.12.118+deb12-cloud-amd64", floor: 392.3, getppid: 671, pipe: 4670, seed: 2,
                            cmdline: "console=ttyS0 panic=-1 quiet loglevel=3 mitigations=off SYSCOST_EMULATED=1 SYSCOST_CLOCK=icount")
        #expect(plain.environment.kernel.bootOptions.isEmpty)
        #expect(off.environment.kernel.bootOptions == ["mitigations=off"])
        let text = try HistoryDocument(History.perMachine([(path: "a", report: plain), (path: "b", report: off)])).export(as: .table)
        #expect(text.contains("mitigations=off"))
    }

    @Test func aDoctoredClockIsRefused() throws {
        var report = Self.boot(kernel: "6.12.118+deb12-cloud-amd64", floor: 205, getppid: 322, pipe: 5729, seed: 1)
        // Nanoseconds under an instruction clock: one of the two is a lie.
        var ns = report
        ns.results[0].unit = .nsPerOp
        #expect(throws: SysCostError.self) { try ReportLimits.check(ns) }
        report.environment.instructionClock?.shift = 3
        #expect(throws: SysCostError.self) { try ReportLimits.check(report) }
        report.environment.instructionClock = InstructionClock(cpuModel: "max; rm -rf /")
        #expect(throws: SysCostError.self) { try ReportLimits.check(report) }
        // And through the loader, from a file.
        let path = try Synthetic.write(ns, "doctored-icount")
        #expect(throws: SysCostError.self) { try ReportLoader.load(path) }
    }
}
