import Foundation
import SysCostStatistics
import SysCostModel
import SysCostAnalysis

/// Reports made from chosen samples, for compare and history.
public enum Synthetic {
    /// A fixed machine (an AMD EPYC VM, committed in Tests/Fixtures), never the live host's:
    /// what a test expects must not depend on the CPU it runs on.
    public static let environment: EnvironmentInfo = {
        let file = PackageRoot.path("Tests/Fixtures/environment-amd-epyc.json")
        return try! JSONDecoder().decode(EnvironmentInfo.self, from: Data(contentsOf: file))
    }()

    public static func result(_ id: String, _ samples: [Double]) -> BenchmarkResult {
        BenchmarkResult(id: BenchmarkID(parsing: id)!, category: .processControl, description: id,
                        syscallsPerOp: 1, iterationsPerBatch: 1000, overheadNs: 0.3, samples: samples,
                        summary: Summary(samples: samples), tscCyclesPerOp: nil, warnings: [], status: .ok)
    }

    /// `clock`: a run under qemu's instruction clock (then emulated, its figures guest
    /// instructions, emulated by `emulatingHost`); `cmdline`: the kernel's command line.
    public static func report(kernel: String = environment.kernel.release, startedAt: String = "2026-11-29T07:00:00Z",
                       emulated: Bool = false, seccomp: String? = nil, clock: InstructionClock? = nil,
                       emulatingHost: String = "AMD EPYC · vm · vm-47ce8116", cmdline: String? = nil,
                       _ results: [BenchmarkResult]) -> RunReport {
        var env = environment
        env.kernel.release = kernel
        env.emulated = emulated || clock != nil
        if let cmdline { env.kernel.cmdline = cmdline }
        var results = results
        if let clock {
            // What scripts/kernel-matrix.sh --accel icount boots with: no option of the user's.
            if cmdline == nil { env.kernel.cmdline = "console=ttyS0 panic=-1 quiet loglevel=3 SYSCOST_EMULATED=1 SYSCOST_HOST=qemu-icount SYSCOST_CLOCK=icount SYSCOST_ICOUNT_SHIFT=0 SYSCOST_CPU_MODEL=\(clock.cpuModel)" }
            env.instructionClock = clock
            env.hostname = "qemu-icount"
            var machine = env.fingerprint
            machine.emulated = true
            machine.hostname = "qemu-icount"
            machine.emulatingHost = emulatingHost
            machine.instructionClock = clock.machineName
            env.machine = machine
            for i in results.indices { results[i].countGuestInstructions() }
        }
        if let seccomp {
            env.seccomp.installed = .init(spec: seccomp, kind: "argument-reading", instructions: 200, getppidBeforeNs: 117,
                                          getppidAfterNs: 178, costPerCallNs: 61, costPerInstructionNs: nil, slope: nil)
        }
        let config = RunConfig(patterns: [], cpu: 1, repetitions: results.first?.samples.count ?? 0, minBatchTimeMs: 10,
                               interleave: true, quick: false, warmupMs: 200, startedAt: startedAt, durationSeconds: 1)
        return RunReport(environment: env, config: config, results: results)
    }

    /// `n` samples around `center`, spread ±`spread` (deterministic).
    public static func around(_ center: Double, spread: Double = 0.01, n: Int = 15) -> [Double] {
        (0..<n).map { i -> Double in
            let position = Double((i * 7) % n) / Double(n - 1)  // 0 … 1, shuffled
            return center * (1 + spread * (2 * position - 1))
        }
    }

    /// The between-run spread a calibration of `runs` runs of `report`'s machine would have
    /// learned: `logSD` for every benchmark of the report.
    public static func spread(for report: RunReport, logSD: Double = 0.01, runs: Int = 10) -> BetweenRunSpread {
        BetweenRunSpread(schema: BetweenRunSpread.schemaID, machine: report.environment.fingerprint.key,
                         kernels: [report.environment.kernel.release], estimator: .undisturbed, runs: runs,
                         firstRun: "2026-11-29T06:00:00Z", lastRun: "2026-11-29T06:10:00Z", learnedAt: "2026-11-29T06:11:00Z",
                         entries: report.results.map { .init(id: $0.id, logSD: logSD, withinLogVariance: 1e-6, runs: runs, degreesOfFreedom: runs - 1) })
    }

    /// That spread as a file (for --spread); its path.
    public static func writeSpread(for report: RunReport, logSD: Double = 0.01, _ tag: String = "spread") throws -> String {
        let path = CLI.reportPath(tag)
        try OutputFile.write(Data(try PrettyJSON.string(spread(for: report, logSD: logSD)).utf8), to: path)
        return path
    }

    public static func write(_ report: RunReport, _ tag: String) throws -> String {
        let path = CLI.reportPath(tag)
        try OutputFile.write(Data(try PrettyJSON.string(report).utf8), to: path)
        return path
    }
}
