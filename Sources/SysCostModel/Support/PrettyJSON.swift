import Foundation

/// The JSON every syscost output uses: indented, keys sorted (so reports diff well), slashes
/// left alone, a final newline.
public enum PrettyJSON {
    public static func string<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    }
}
