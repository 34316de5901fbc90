/// A counter as the user named it: a libpfm4 event name (`cycles:u`, `L1-dcache-load-misses`)
/// carried as a value. The names syscost itself relies on are constants.
public struct CounterName: RawRepresentable, Hashable, Comparable, Sendable, Codable, CodingKeyRepresentable,
    CustomStringConvertible, ExpressibleByStringLiteral {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { rawValue = value }
    public var description: String { rawValue }
    public static func < (a: CounterName, b: CounterName) -> Bool { a.rawValue < b.rawValue }

    public var codingKey: CodingKey { Key(stringValue: rawValue) }
    public init?<T: CodingKey>(codingKey: T) { rawValue = codingKey.stringValue }
    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
    public init(from decoder: Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public static let contextSwitches: CounterName = "context-switches"
    public static let taskClock: CounterName = "task-clock"
    public static let pageFaults: CounterName = "page-faults"
    public static let cycles: CounterName = "cycles"
    public static let cyclesUser: CounterName = "cycles:u"
    public static let cyclesKernel: CounterName = "cycles:k"
    public static let instructions: CounterName = "instructions"
    public static let instructionsUser: CounterName = "instructions:u"
    public static let instructionsKernel: CounterName = "instructions:k"

    /// A cache or TLB miss counter (its name says "miss").
    public var isMiss: Bool { rawValue.contains("miss") }
}
