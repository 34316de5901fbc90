import SysCostModel

/// What one switch of a ping-pong costs, as the ctxswitch suite derives it: in a report, three
/// named figures (`round-trip`, `transport`, `switch-net`).
public struct SwitchCost: Equatable, Sendable {
    /// Two switches.
    public var roundTripNs: Double
    /// The transport's syscalls for one round trip in one task (no switch): subtracted.
    public var transportNs: Double?
    /// (per switch) − (transport per round trip) / 2.
    public var netNsPerSwitch: Double?
    /// The same, round by round, with its interval (nil where the rounds do not pair).
    public var net: PairedEstimate?

    public init(roundTripNs: Double, transportNs: Double?, netNsPerSwitch: Double?, net: PairedEstimate? = nil) {
        self.roundTripNs = roundTripNs; self.transportNs = transportNs; self.netNsPerSwitch = netNsPerSwitch; self.net = net
    }

    /// As a report keeps it.
    public var figures: [DerivedFigure] {
        var out = [DerivedFigure(.roundTrip, value: roundTripNs, unit: .nsPerRoundTrip)]
        if let transportNs { out.append(DerivedFigure(.transport, value: transportNs, unit: .nsPerRoundTrip)) }
        if let n = net?.value ?? netNsPerSwitch { out.append(DerivedFigure(.switchNet, value: n, paired: net, unit: .nsPerSwitch)) }
        return out
    }

    /// Read back from a result's figures; nil where it has no round trip.
    public init?(_ result: BenchmarkResult) {
        guard let roundTrip = result.figure(.roundTrip) else { return nil }
        let net = result.figure(.switchNet)
        self.init(roundTripNs: roundTrip.value, transportNs: result.figure(.transport)?.value, netNsPerSwitch: net?.value,
                  net: net?.pairedEstimate)
    }
}

extension BenchmarkResult {
    /// A ping-pong's switch cost (ctxswitch suite).
    public var switchCost: SwitchCost? { SwitchCost(self) }
}
