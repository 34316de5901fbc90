import Foundation
import SysCostModel
import SysCostStatistics

/// Suite `io`: read and write of a cached tmpfs file by size (LEBench's four, `@4K` …
/// `@40000K`), and select, poll and epoll_wait over 10 and 1,000 descriptors, all ready or all
/// idle, with a zero timeout.
public struct IODescriptor: SuiteDescriptor {
    public var suite: SuiteName { .io }
    public init() {}

    public static let sizes = MemoryDescriptor.sizes
    public static let descriptorCounts = [10, 1000]
    public static let ready = "ready"
    public static let idle = "idle"

    /// LEBench's big send and recv: 96,000 bytes over an AF_UNIX stream pair.
    public static let sendRecvBig = BenchmarkID(.io, "socketpair-send-recv", "", workingSet: 96000)

    public static func read(_ bytes: Int) -> BenchmarkID { BenchmarkID(.io, "read", "", workingSet: bytes) }
    public static func write(_ bytes: Int) -> BenchmarkID { BenchmarkID(.io, "write", "", workingSet: bytes) }
    /// `call` is select, poll or epoll_wait.
    public static func waiting(_ call: String, _ count: Int, ready: Bool) -> BenchmarkID {
        BenchmarkID(.io, "\(call)-\(count)", ready ? Self.ready : Self.idle)
    }

    public var prices: [String: PriceRule] { ["select": PriceRule(Self.waiting("select", 10, ready: false))] }

    public func sections(of report: RunReport) -> [ReportSection] {
        let u = report.environment.counted.word
        let byID = report.results.byID
        var lines: [String] = []
        for (what, id) in [("read (pread) of a cached file", Self.read), ("write (pwrite) of a cached file", Self.write)] {
            let costs = Self.sizes.compactMap { size in byID[id(size)]?.undisturbed.map { "\(ByteSize.label(size))B \(Format.ns($0)) \(u)" } }
            if !costs.isEmpty { lines.append("\(what): " + costs.joined(separator: ", ")) }
        }
        for call in ["select", "poll", "epoll_wait"] {
            let costs = Self.descriptorCounts.flatMap { n in [true, false].compactMap { ready in
                byID[Self.waiting(call, n, ready: ready)]?.undisturbed.map { "\(n) \(ready ? "ready" : "idle") \(Format.ns($0)) \(u)" }
            } }
            if !costs.isEmpty { lines.append("\(call): " + costs.joined(separator: ", ")) }
        }
        return lines.isEmpty ? [] : [ReportSection(title: "I/O by size and by descriptors", lines: lines)]
    }
}

extension SuiteName {
    public static let io = SuiteName("io")
}
