import ArgumentParser
import Foundation
import SysCostAnalysis
import SysCostModel

/// `syscost bisect ID -- RELEASE…`: which point release of a series first moved a benchmark,
/// from the runs saved under a results tree; `--next` names the release to boot next instead
/// (what `scripts/kernel-matrix.sh --bisect` asks between boots).
struct BisectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bisect",
        abstract: "Name the first kernel of a series whose figure moved, from saved runs; or, with --next, the kernel to boot next.",
        discussion: """
            RELEASE… are kernel releases, oldest first, as reports record them \
            (6.12.100+deb12-cloud-amd64). Each is judged against the first by its runs, as syscost \
            compare judges them (several boots a side: their spread is the between-run term): the \
            search halves the series until it names the first release that moved and the last \
            that had not. Only runs of one machine are used; under qemu icount that is "qemu \
            icount, cpu MODEL" whichever host emulated it. Exit status: 0 when the first release \
            that moved is named or nothing moved; 1 when runs are missing or a step gives no \
            verdict (the output says which); 2 on bad input.
            """)

    @Argument(help: "The benchmark id (syscall/invalid/raw).")
    var id: String

    @Argument(help: "The series' kernel releases, oldest first (after --).")
    var releases: [String] = []

    @Option(help: ArgumentHelp("The results tree the runs are saved in.", valueName: "dir"))
    var results = "results"

    @Option(help: ArgumentHelp("Only runs whose figures count this: icount (guest instructions) or timed.", valueName: "clock"))
    var clock: BisectClock = .icount

    @Option(help: ArgumentHelp("Only runs of this qemu CPU model (under icount).", valueName: "model"))
    var cpuModel: String?

    @Option(help: ArgumentHelp("Only boots with exactly these kernel options (kernel-matrix.sh --cmdline); default: none.", valueName: "options"))
    var bootOptions = ""

    @Option(help: ArgumentHelp("Only the machine whose key starts with this.", valueName: "key"))
    var machine: String?

    @Flag(help: "Print only the release to boot next (nothing when the search is over).")
    var next = false

    @OptionGroup var judging: JudgingOptions

    func validate() throws {
        guard releases.count >= 2 else { throw ValidationError("give at least two kernel releases after the id, oldest first") }
        guard releases.count <= 1_000 else { throw ValidationError("at most 1,000 releases") }
        guard Set(releases).count == releases.count else { throw ValidationError("a release is named twice") }
        if let cpuModel, !InstructionClock.isModelName(cpuModel) { throw ValidationError("--cpu-model takes a qemu CPU model name (got '\(cpuModel)')") }
        guard benchmark != nil else { throw ValidationError("'\(Escape.terminal(id))' is not a benchmark id (suite/name/variant)") }
    }

    /// The id parsed (validate refuses one that does not parse).
    var benchmark: BenchmarkID? { BenchmarkID(parsing: id) }

    /// The saved runs: none before the first boot (the tree may not exist yet, or be empty).
    func savedRuns() throws -> [(path: String, report: RunReport)] {
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: results, isDirectory: &isDirectory) { return [] }
        if isDirectory.boolValue, !(FileManager.default.enumerator(atPath: results)?.contains { ($0 as? String)?.hasSuffix(".json") == true } ?? false) {
            return []
        }
        return try ReportLoader.collect([results], onSkip: { StandardError.write(Escape.terminal($0) + "\n") })
    }

    func run() throws {
        guard let benchmark else { throw SysCostError.usage("'\(Escape.terminal(id))' is not a benchmark id") }
        let wanted = Set(releases)
        let options = bootOptions.split(separator: " ").map(String.init).sorted()
        let counted: Counted = clock == .icount ? .guestInstructions : .nanoseconds
        let all = try savedRuns()
        let chosen = all.filter { item in
            let e = item.report.environment
            return wanted.contains(e.kernel.release) && e.counted == counted && e.kernel.bootOptions == options
                && (cpuModel == nil || e.instructionClock?.cpuModel == cpuModel)
                && (machine.map { e.fingerprint.key.rawValue.hasPrefix($0) } ?? true)
                && !item.report.interrupted
        }
        let keys = Set(chosen.map { $0.report.environment.fingerprint.key.rawValue }).sorted()
        if keys.count > 1 {
            throw SysCostError.usage("the runs of these releases are of \(keys.count) machines (\(keys.joined(separator: ", "))): name one with --machine")
        }
        var runs: [Int: [RunReport]] = [:]
        for item in chosen { if let i = releases.firstIndex(of: item.report.environment.kernel.release) { runs[i, default: []].append(item.report) } }
        let search = Bisection(id: benchmark, series: releases, thresholds: try judging.loadThresholds(for: counted), alpha: judging.alpha)
        let (step, probes) = try search.next(runs: runs)
        if next {
            if case .boot(let i) = step { try StandardOutput.write(releases[i] + "\n", fallbackName: "bisect.txt") }
            return
        }
        var out = "bisect \(benchmark) over \(releases.count) releases (\(releases[0]) … \(releases[releases.count - 1]))"
            + (keys.first.map { " of \($0)" } ?? "") + (options.isEmpty ? "" : ", boot options \(options.joined(separator: " "))") + "\n"
        let word = counted.word
        for p in probes.sorted(by: { $0.index < $1.index }) {
            let r = p.row
            let interval = r.ratioCI95Low.flatMap { lo in r.ratioCI95High.map { hi in String(format: " (%+.2f%%…%+.2f%%)", (lo - 1) * 100, (hi - 1) * 100) } } ?? ""
            out += "  \(releases[p.index]): \(runs[p.index]?.count ?? 0) run(s), \(Format.ns(r.baseValue)) → \(Format.ns(r.newValue)) \(word)"
                + String(format: ", %+.2f%%", (r.ratio - 1) * 100) + interval + " against \(releases[0]): \(r.verdict?.rawValue ?? "no verdict")\n"
        }
        switch step {
        case .found(let first, let last):
            let a = probes.last { $0.index == last }?.row.newValue ?? probes.first?.row.baseValue
            let b = probes.last { $0.index == first }?.row.newValue
            out += "first moved: \(releases[first]) (\(Format.ns(a)) → \(Format.ns(b)) \(word)); \(releases[last]) was the last that read as \(releases[0])\n"
            try StandardOutput.write(out, fallbackName: "bisect.txt")
        case .unmoved:
            out += "\(benchmark) did not move between \(releases[0]) and \(releases[releases.count - 1]) beyond the spread of their boots\n"
            try StandardOutput.write(out, fallbackName: "bisect.txt")
        case .boot(let i):
            out += "no run of \(releases[i]) under \(results) (with these filters): boot it next (scripts/kernel-matrix.sh --bisect does)\n"
            try StandardOutput.write(out, fallbackName: "bisect.txt")
            throw ExitCode(1)
        case .undecided(let i, let why):
            out += "undecided at \(releases[i]): \(why); boot it more times (--boots) or take more rounds\n"
            try StandardOutput.write(out, fallbackName: "bisect.txt")
            throw ExitCode(1)
        }
    }
}

/// `bisect --clock`: which runs a search reads.
enum BisectClock: String, CaseIterable, ExpressibleByArgument {
    /// qemu icount: figures are guest instructions.
    case icount
    /// Hardware, KVM or plain TCG: figures are time.
    case timed
}
