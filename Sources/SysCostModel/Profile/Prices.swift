import Foundation

/// What one system call costs on this machine and kernel, priced from a run of the catalog.
public struct SyscallPrice: Codable, Equatable, Sendable {
    /// Written `{"catalog": "syscall/getppid/raw"}` or `{"entryOnly": true}`; the synthesized
    /// `{"catalog": {"_0": …}}` and `{"entryOnly": {}}` of earlier profiles still load.
    public enum Basis: Codable, Equatable, Sendable {
        /// The undisturbed cost of a catalog benchmark, per call it makes.
        case catalog(BenchmarkID)
        /// Not in the catalog: the ENOSYS floor, the entry and exit alone.
        case entryOnly

        enum Keys: String, CodingKey { case catalog, entryOnly }
        enum Payload: String, CodingKey { case _0 }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            switch self {
            case .catalog(let id): try c.encode(id, forKey: .catalog)
            case .entryOnly: try c.encode(true, forKey: .entryOnly)
            }
        }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: Keys.self)
            if c.contains(.entryOnly) { self = .entryOnly; return }
            if let id = try? c.decode(BenchmarkID.self, forKey: .catalog) { self = .catalog(id); return }
            self = .catalog(try c.nestedContainer(keyedBy: Payload.self, forKey: .catalog).decode(BenchmarkID.self, forKey: ._0))
        }
    }
    public var ns: Double
    public var basis: Basis
    /// A call with a vDSO path made as a syscall: what the vDSO call costs instead.
    public var vdsoNs: Double?
    public var vdso: BenchmarkID?

    public init(ns: Double, basis: Basis, vdsoNs: Double? = nil, vdso: BenchmarkID? = nil) {
        self.ns = ns; self.basis = basis; self.vdsoNs = vdsoNs; self.vdso = vdso
    }
}

/// The prices a profile uses, and where they came from.
public struct PriceList: Codable, Equatable, Sendable {
    /// The report they were read from (a path), or "measured now".
    public var source: String
    /// The ENOSYS floor: what a kernel entry and exit cost with no work.
    public var floorNs: Double
    /// A same-CPU process switch (pipe ping-pong, per switch, undisturbed), net of the pipe's
    /// own syscalls.
    public var switchNs: Double?
    /// By syscall name, for every name the command used.
    public var prices: [String: SyscallPrice]

    public init(source: String, floorNs: Double, switchNs: Double?, prices: [String: SyscallPrice]) {
        self.source = source; self.floorNs = floorNs; self.switchNs = switchNs; self.prices = prices
    }
}
