import Foundation

/// The derived figures of reports written before `syscost.run/3`, read into its named figures:
/// `/2` wrote them as Swift's synthesized enum (`{"pingPong": {"_0": {…}}}`), `/1` as fields of
/// the result (`speedupOverSyscall`, `roundTripNs`, …). This is the one reader of both shapes.
enum LegacyFigures {
    struct Paired: Decodable {
        var value: Double
        var low: Double?
        var high: Double?
        var rounds: Int
        var estimate: PairedEstimate { PairedEstimate(value: value, low: low, high: high, rounds: rounds) }
    }

    struct PingPong: Decodable {
        var roundTripNs: Double
        var transportNs: Double?
        var netNsPerSwitch: Double?
        var net: Paired?
    }

    struct Indirect: Decodable {
        var baselineNs: Double
        var directNs: Double
        var extraNs: Double
        var extra: Paired?
    }

    /// One `/2` figure: a single key naming the case, its payload under `_0`.
    enum Version2: Decodable {
        case speedup(Paired), pingPong(PingPong), indirect(Indirect), knob(Paired)

        enum Case: String, CodingKey { case speedupOverSyscall, pingPong, indirect, knobCost }
        enum Payload: String, CodingKey { case _0 }

        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: Case.self)
            guard let key = c.allKeys.first, c.allKeys.count == 1 else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "a /2 figure names one kind"))
            }
            let payload = try c.nestedContainer(keyedBy: Payload.self, forKey: key)
            switch key {
            case .speedupOverSyscall: self = .speedup(try payload.decode(Paired.self, forKey: ._0))
            case .pingPong: self = .pingPong(try payload.decode(PingPong.self, forKey: ._0))
            case .indirect: self = .indirect(try payload.decode(Indirect.self, forKey: ._0))
            case .knobCost: self = .knob(try payload.decode(Paired.self, forKey: ._0))
            }
        }

        func figures(unit: FigureUnit) -> [DerivedFigure] {
            switch self {
            case .speedup(let p): return [DerivedFigure(.speedupOverSyscall, p.estimate, unit: .ratio)]
            case .pingPong(let p): return LegacyFigures.pingPong(p)
            case .indirect(let i): return LegacyFigures.indirect(i)
            case .knob(let p): return [DerivedFigure(.knobCost, p.estimate, unit: unit == .nsPerSwitch ? .nsPerSwitch : .nsPerOp)]
            }
        }
    }

    static func pingPong(_ p: PingPong) -> [DerivedFigure] {
        var out = [DerivedFigure(.roundTrip, value: p.roundTripNs, unit: .nsPerRoundTrip)]
        if let t = p.transportNs { out.append(DerivedFigure(.transport, value: t, unit: .nsPerRoundTrip)) }
        if let n = p.net?.value ?? p.netNsPerSwitch { out.append(DerivedFigure(.switchNet, value: n, paired: p.net?.estimate, unit: .nsPerSwitch)) }
        return out
    }

    static func indirect(_ i: Indirect) -> [DerivedFigure] {
        [DerivedFigure(.walkBaseline, value: i.baselineNs, unit: .nsPerOp), DerivedFigure(.directCost, value: i.directNs, unit: .nsPerOp),
         DerivedFigure(.indirectCost, value: i.extraNs, paired: i.extra?.estimate, unit: .nsPerOp)]
    }

    /// Where `/1` kept them: fields of the result.
    enum Version1Keys: String, CodingKey {
        case speedupOverSyscall, roundTripNs, switchOverheadNs, netNsPerSwitch, indirect
    }

    static func version1(_ c: KeyedDecodingContainer<Version1Keys>) throws -> [DerivedFigure] {
        var figures: [DerivedFigure] = []
        if let s = try c.decodeIfPresent(Double.self, forKey: .speedupOverSyscall) {
            figures.append(DerivedFigure(.speedupOverSyscall, value: s, rounds: 0, unit: .ratio))
        }
        if let roundTrip = try c.decodeIfPresent(Double.self, forKey: .roundTripNs) {
            figures += pingPong(PingPong(roundTripNs: roundTrip, transportNs: try c.decodeIfPresent(Double.self, forKey: .switchOverheadNs),
                                         netNsPerSwitch: try c.decodeIfPresent(Double.self, forKey: .netNsPerSwitch), net: nil))
        }
        if let i = try c.decodeIfPresent(Indirect.self, forKey: .indirect) { figures += indirect(i) }
        return figures
    }
}
