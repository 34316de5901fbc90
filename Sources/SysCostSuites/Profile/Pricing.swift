import Foundation
import SysCostModel
import SysCostStatistics

/// Turning a run of the catalog into prices for `syscost profile`. Which benchmark prices
/// which system call is each suite's to say (`SuiteDescriptor.prices`, `vdsoPrices`); this
/// reads them from the registry.
public enum Pricing {
    /// Syscall name (as the kernel's tracepoints spell it) → the benchmark that makes it and
    /// how many of it one op makes, from every suite.
    public static let catalog: [String: PriceRule] = Suites.all.reduce(into: [:]) { all, suite in
        all.merge(suite.prices) { first, _ in first }
    }

    /// Calls with a vDSO path: the vDSO benchmark that prices them when made that way.
    public static let vdso: [String: BenchmarkID] = Suites.all.reduce(into: [:]) { all, suite in
        all.merge(suite.vdsoPrices) { first, _ in first }
    }

    /// What every price needs besides the call's own benchmark: the ENOSYS floor and a
    /// same-CPU process switch.
    public static let floor = SyscallDescriptor.enosys
    public static let processSwitch = CtxSwitchDescriptor.pipeProcess

    /// What prices `names` need: their catalog and vDSO benchmarks, the floor and the switch.
    public static func needed(for names: [String]) -> [BenchmarkID] {
        var ids = [floor, processSwitch]
        for name in names {
            if let c = catalog[name], !ids.contains(c.id) { ids.append(c.id) }
            if let v = vdso[name], !ids.contains(v) { ids.append(v) }
        }
        return ids
    }

    /// Prices for `names` from `report` (its undisturbed costs); nil when it has no ENOSYS
    /// floor. A name the report has no benchmark for is priced at the floor, entry only.
    public static func prices(from report: RunReport, source: String, for names: [String]) -> PriceList? {
        let byID = report.results.byID
        guard let floorNs = byID[floor]?.undisturbed else { return nil }
        var prices: [String: SyscallPrice] = [:]
        for name in names {
            var price = SyscallPrice(ns: floorNs, basis: .entryOnly)
            if let c = catalog[name], let ns = byID[c.id]?.undisturbed {
                price = SyscallPrice(ns: ns / Double(c.callsPerOp), basis: .catalog(c.id))
            }
            if let v = vdso[name], let ns = byID[v]?.undisturbed {
                price.vdso = v
                price.vdsoNs = ns
            }
            prices[name] = price
        }
        // A switch net of the pipe's own syscalls: the command's reads and writes are priced
        // as calls already.
        let process = byID[processSwitch]
        let switchNs = process?.switchCost.flatMap { $0.net?.value ?? $0.netNsPerSwitch }
        return PriceList(source: source, floorNs: floorNs, switchNs: switchNs, prices: prices)
    }
}

/// The benchmark that prices a system call, and how many of the call one op makes.
public struct PriceRule: Sendable, Equatable {
    public var id: BenchmarkID
    public var callsPerOp: Int
    public init(_ id: BenchmarkID, callsPerOp: Int = 1) { self.id = id; self.callsPerOp = callsPerOp }
}
