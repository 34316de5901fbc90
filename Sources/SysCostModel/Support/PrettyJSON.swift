import Foundation

/// The JSON every syscost output uses: keys sorted (so reports diff well), slashes left alone,
/// a final newline; indented unless asked not to be.
public enum PrettyJSON {
    public static func string<T: Encodable>(_ value: T) throws -> String { try string(value, pretty: true) }

    /// Indented, or on one line (`pretty: false`: run reports are written so by default,
    /// pretty-printing was 28% of one).
    public static func string<T: Encodable>(_ value: T, pretty: Bool) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    }
}
