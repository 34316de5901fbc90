import Foundation
import SysCostModel
import SysCostStatistics

/// Suite `memory`: a file mapped and unmapped, and page faults on a file mapping and on
/// anonymous memory, each at LEBench's four sizes named by bytes (`@4K` … `@40000K`: 1, 10,
/// 1,000 and 10,000 pages). Faults are per fault; mmap and munmap per call.
public struct MemoryDescriptor: SuiteDescriptor {
    public var suite: SuiteName { .memory }
    public init() {}

    /// LEBench's small, mid, big and huge sizes, in pages of 4 KiB.
    public static let pages = [1, 10, 1000, 10000]
    public static let sizes = pages.map { $0 * 4096 }

    public static func mmapFile(_ bytes: Int) -> BenchmarkID { BenchmarkID(.memory, "mmap-file", "", workingSet: bytes) }
    public static func munmapFile(_ bytes: Int) -> BenchmarkID { BenchmarkID(.memory, "munmap-file", "", workingSet: bytes) }
    public static func faultFile(_ bytes: Int) -> BenchmarkID { BenchmarkID(.memory, "fault-file", "", workingSet: bytes) }
    public static func faultAnon(_ bytes: Int) -> BenchmarkID { BenchmarkID(.memory, "fault-anon", "", workingSet: bytes) }

    public var prices: [String: PriceRule] { ["mmap": PriceRule(Self.mmapFile(4096)), "munmap": PriceRule(Self.munmapFile(4096))] }

    public func sections(of report: RunReport) -> [ReportSection] {
        let u = report.environment.counted.word
        let byID = report.results.byID
        var lines: [String] = []
        for (what, id) in [("mmap of a file", Self.mmapFile), ("munmap of a written private file mapping", Self.munmapFile),
                           ("a read fault on a file mapping, per fault", Self.faultFile),
                           ("a write fault on anonymous memory, per fault", Self.faultAnon)] {
            let costs = Self.sizes.compactMap { size in byID[id(size)]?.undisturbed.map { "\(ByteSize.label(size))B \(Format.ns($0)) \(u)" } }
            if !costs.isEmpty { lines.append("\(what): " + costs.joined(separator: ", ")) }
        }
        return lines.isEmpty ? [] : [ReportSection(title: "Memory by size", lines: lines)]
    }
}

extension SuiteName {
    public static let memory = SuiteName("memory")
}
