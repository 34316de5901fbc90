import Foundation

/// A benchmark's identity: `suite/name[/variant][@size]`, e.g. `syscall/getppid/raw`,
/// `timer/rdtsc`, `ctxswitch/pipe-process/same-cpu@4K`. This type is the one place an id is
/// printed or parsed; everything else works with its fields.
public struct BenchmarkID: Hashable, Comparable, Sendable, CustomStringConvertible, Codable, CodingKeyRepresentable,
    ExpressibleByStringLiteral {
    public var suite: SuiteName
    public var name: String
    /// Empty for a benchmark with no variants (`timer/rdtsc`).
    public var variant: String
    /// Bytes each side touches between operations (a working-set sweep); nil when none.
    public var workingSet: Int?

    public init(_ suite: SuiteName, _ name: String, _ variant: String = "", workingSet: Int? = nil) {
        self.suite = suite; self.name = name; self.variant = variant
        self.workingSet = workingSet.flatMap { $0 > 0 ? $0 : nil }
    }

    /// The same benchmark with another variant (a call's syscall form, a chase's baseline).
    public func with(variant: String) -> BenchmarkID { BenchmarkID(suite, name, variant, workingSet: workingSet) }
    /// Whether this id is its own form `variant` (a suite's constant, never a spelling typed
    /// at the call): `syscall/getppid/libc` is its own `SyscallDescriptor.libc` form.
    public func isForm(_ variant: String) -> Bool { self == with(variant: variant) }
    /// Whether this id is one of the forms `variants`.
    public func isForm(among variants: [String]) -> Bool { variants.contains { isForm($0) } }

    public var description: String {
        var s = suite.rawValue + "/" + name
        if !variant.isEmpty { s += "/" + variant }
        if let workingSet { s += "@" + ByteSize.label(workingSet) }
        return s
    }

    /// Parses the printed form; nil for text that is not one.
    public init?(parsing text: String) {
        var body = Substring(text)
        var size: Int?
        if let at = body.firstIndex(of: "@") {
            guard let bytes = ByteSize.parse(body[body.index(after: at)...]) else { return nil }
            size = bytes
            body = body[..<at]
        }
        let parts = body.split(separator: "/", omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count), parts.allSatisfy({ !$0.isEmpty }) else { return nil }
        self.init(SuiteName(String(parts[0])), String(parts[1]), parts.count == 3 ? String(parts[2]) : "", workingSet: size)
    }

    /// A literal id, as tests and constants write one; it must parse.
    public init(stringLiteral text: String) {
        guard let id = BenchmarkID(parsing: text) else { preconditionFailure("'\(text)' is not a benchmark id") }
        self = id
    }

    public static func < (a: BenchmarkID, b: BenchmarkID) -> Bool { a.description < b.description }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let id = BenchmarkID(parsing: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "'\(text)' is not a benchmark id (suite/name[/variant][@size])"))
        }
        self = id
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public var codingKey: CodingKey { IDKey(stringValue: description) }
    public init?<T: CodingKey>(codingKey: T) { self.init(parsing: codingKey.stringValue) }
    private struct IDKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}

/// A suite's name: the first part of every id it owns.
public struct SuiteName: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    public init(from decoder: Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// Sizes as ids and options write them: `4K`, `1M`, or plain bytes.
public enum ByteSize {
    public static func label(_ bytes: Int) -> String {
        bytes >= 1 << 20 && bytes % (1 << 20) == 0 ? "\(bytes >> 20)M" : bytes % 1024 == 0 && bytes > 0 ? "\(bytes >> 10)K" : "\(bytes)"
    }

    /// `4K`, `64k`, `1M`, `512`; nil for anything else or above 1 GiB.
    public static func parse<S: StringProtocol>(_ text: S) -> Int? {
        let s = text.trimmingCharacters(in: .whitespaces).uppercased()
        let (digits, scale): (Substring, Int) = s.hasSuffix("K") ? (s.dropLast(), 1 << 10)
            : s.hasSuffix("M") ? (s.dropLast(), 1 << 20) : (Substring(s), 1)
        guard let n = Int(digits), n >= 0, n <= (1 << 30) / scale else { return nil }
        return n * scale
    }
}
