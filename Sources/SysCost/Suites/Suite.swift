import Foundation
import SysCostModel
import SysCostSuites

/// The measuring side of a suite: the benchmarks it offers for a run. Its report side (what
/// it derives, the sections it adds) is a `SuiteDescriptor` in the SysCostSuites target, so saved
/// runs can be read without this target. A new suite is a folder here, one there, and a
/// line in each registry (`Catalog.suites`, `Suites.all`).
protocol Suite: Sendable {
    func benchmarks(_ setup: CatalogSetup) -> [Benchmark]
}

/// What the catalog needs to know of the run it is built for.
public struct CatalogSetup: Sendable {
    /// Sizes each side of a ping-pong touches between switches (`--working-set`), 0 excluded.
    public var workingSets: [Int]
    /// The CPUs this process may run on, before the runner pins to one: where a peer may go.
    public var allowedCPUs: [Int]

    public static let defaultWorkingSets = [4 << 10, 16 << 10, 64 << 10, 256 << 10, 1 << 20, 4 << 20]

    public init(workingSets: [Int] = defaultWorkingSets, allowedCPUs: [Int] = CPUSet.allowed()) {
        self.workingSets = workingSets.filter { $0 > 0 }; self.allowedCPUs = allowedCPUs
    }

    /// Parses `0,4K,16K,1M` (a bare number is bytes).
    /// At most `maxWorkingSets` sizes, each once (each size is benchmarks of its own).
    public static func parseSizes(_ text: String) throws -> [Int] {
        let sizes = try text.split(separator: ",", omittingEmptySubsequences: false).map { part in
            guard let bytes = ByteSize.parse(part) else {
                throw SysCostError.usage("--working-set takes sizes like 0,4K,64K,1M up to 1024M (got '\(part.prefix(40))')")
            }
            return bytes
        }
        guard sizes.count <= maxWorkingSets else {
            throw SysCostError.usage("--working-set takes at most \(maxWorkingSets) sizes (got \(sizes.count))")
        }
        guard Set(sizes).count == sizes.count else { throw SysCostError.usage("--working-set names a size twice") }
        return sizes
    }

    public static let maxWorkingSets = 32
}
