import Foundation
import SysCostModel
import SysCostStatistics

/// Suite `lifecycle`: what it costs to make a process or a thread and to end one — LEBench's
/// fork, big fork, huge fork and thread create, with vfork, exec, posix_spawn and exit beside
/// them. Timed in syscost's lean twin, so a fork copies a small process whatever else the run
/// selected. Forks and thread creations are timed in two parts, as LEBench times them: the
/// creator's return, and the time until the new task's first instruction.
public struct LifecycleDescriptor: SuiteDescriptor {
    public var suite: SuiteName { .lifecycle }
    public init() {}

    public static let parent = "parent"
    public static let child = "child"
    /// The big and huge fork's touched anonymous memory.
    public static let bigForkSizes = [64 << 20, 1 << 30]
    /// The biggest fork in the default matrix: the 1 GiB one costs seconds of set-up and teardown
    /// for its two figures, so it is run by name or with `--preset lebench`.
    public static let defaultMatrixMemory = 64 << 20
    /// The mappings the exit benchmark's child holds (LEBench's big fork maps 6,000 pages one by one).
    public static let exitMappings = 6000

    public static func fork(_ part: String, memory: Int? = nil) -> BenchmarkID { BenchmarkID(.lifecycle, "fork", part, workingSet: memory) }
    public static let vfork = BenchmarkID(.lifecycle, "vfork", "raw")
    public static let forkExec = BenchmarkID(.lifecycle, "fork-exec", "raw")
    public static let posixSpawn = BenchmarkID(.lifecycle, "posix-spawn", "libc")
    public static let exitPlain = BenchmarkID(.lifecycle, "exit", "plain")
    public static let exitMapped = BenchmarkID(.lifecycle, "exit", "\(exitMappings)-mappings")
    public static func clone3Thread(_ part: String) -> BenchmarkID { BenchmarkID(.lifecycle, "clone3-thread", part) }
    public static func pthreadCreate(_ part: String) -> BenchmarkID { BenchmarkID(.lifecycle, "pthread-create", part) }

    public func usesLibc(_ id: BenchmarkID) -> Bool { id == Self.posixSpawn || id.name == "pthread-create" }

    public var prices: [String: PriceRule] {
        ["vfork": PriceRule(Self.vfork), "clone": PriceRule(Self.fork(Self.parent)), "clone3": PriceRule(Self.clone3Thread(Self.parent)),
         "fork": PriceRule(Self.fork(Self.parent))]
    }

    public func sections(of report: RunReport) -> [ReportSection] {
        let u = report.environment.counted.word
        let byID = report.results.byID
        var lines: [String] = []
        func cost(_ id: BenchmarkID) -> String? { byID[id]?.undisturbed.map { report.environment.counted.large($0) } }
        for memory in [nil] + Self.bigForkSizes.map(Optional.some) {
            guard let parent = cost(Self.fork(Self.parent, memory: memory)) else { continue }
            let what = memory.map { "fork holding \(ByteSize.label($0))B of touched memory" } ?? "fork"
            var line = "\(what): the parent returns after \(parent)"
            if let child = cost(Self.fork(Self.child, memory: memory)) { line += ", the child runs after \(child)" }
            lines.append(line)
        }
        for (id, what) in [(Self.vfork, "vfork + exit + wait"), (Self.forkExec, "fork + exec of a 132-byte static program + wait"),
                           (Self.posixSpawn, "posix_spawn of the same + wait")] {
            if let c = cost(id) { lines.append("\(what): \(c)") }
        }
        if let plain = byID[Self.exitPlain], let mapped = byID[Self.exitMapped],
           let extra = PairedEstimate.over([mapped.samples, plain.samples], interleaved: report.config.interleave, { $0[0] - $0[1] }),
           extra.low != nil {
            lines.append("exit of a process holding \(Self.exitMappings) more mappings: \(extra.differenceText(unit: u)) more, paired over \(extra.rounds) rounds")
        }
        for (name, id) in [("a raw clone3 thread", Self.clone3Thread), ("pthread_create", Self.pthreadCreate)] {
            guard let parent = cost(id(Self.parent)) else { continue }
            var line = "\(name): the creator returns after \(parent)"
            if let child = cost(id(Self.child)) { line += ", the thread runs after \(child)" }
            lines.append(line)
        }
        return lines.isEmpty ? [] : [ReportSection(title: "Processes and threads", lines: lines)]
    }
}

extension SuiteName {
    public static let lifecycle = SuiteName("lifecycle")
}
