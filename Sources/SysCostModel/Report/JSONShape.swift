import Foundation

/// A report file's JSON checked before it is decoded, in one pass over its bytes and in
/// bounded memory and time: valid syntax, nesting no deeper than `maxDepth`, no string longer
/// than `maxStringBytes`, every number a finite double. Foundation's decoder says only "not
/// valid JSON" and recurses without a bound; this says what is wrong and where.
public struct JSONShape {
    public static let maxDepth = 32
    public static let maxStringBytes = 16 << 10

    public struct Problem: Error, CustomStringConvertible {
        var line: Int, column: Int, what: String
        public var description: String { "line \(line), column \(column): \(what)" }
    }

    private let bytes: UnsafeRawBufferPointer
    private var i = 0
    private var lineStart = 0
    private var line = 1

    /// Throws the first problem found.
    public static func check(_ data: Data) throws {
        try data.withUnsafeBytes { raw in
            var scan = JSONShape(bytes: raw)
            scan.skipSpace()
            try scan.value(depth: 1)
            scan.skipSpace()
            if scan.i < raw.count { throw scan.problem("more after the end of the document") }
        }
    }

    private init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    private func problem(_ what: String) -> Problem {
        Problem(line: line, column: i - lineStart + 1, what: what)
    }

    private var atEnd: Bool { i >= bytes.count }
    private var current: UInt8 { bytes[i] }

    private mutating func skipSpace() {
        while i < bytes.count {
            switch bytes[i] {
            case 0x20, 0x09, 0x0D: i += 1
            case 0x0A: i += 1; line += 1; lineStart = i
            default: return
            }
        }
    }

    private func shown(_ byte: UInt8) -> String {
        (0x21...0x7E).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : String(format: "byte 0x%02x", byte)
    }

    private mutating func value(depth: Int) throws {
        guard !atEnd else { throw problem("the document ends where a value should be (a truncated file?)") }
        switch current {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            guard depth <= Self.maxDepth else { throw problem("nested deeper than \(Self.maxDepth) levels") }
            try container(closing: current == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]"), depth: depth)
        case UInt8(ascii: "\""): try string()
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try number()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        case UInt8(ascii: "N"), UInt8(ascii: "I"):
            throw problem("\(shown(current)): NaN and Infinity are not JSON numbers")
        default: throw problem("unexpected \(shown(current)) where a value should be")
        }
    }

    private mutating func container(closing: UInt8, depth: Int) throws {
        let object = closing == UInt8(ascii: "}")
        i += 1
        skipSpace()
        if !atEnd && current == closing { i += 1; return }
        while true {
            if object {
                guard !atEnd else { throw problem("the document ends inside an object (a truncated file?)") }
                guard current == UInt8(ascii: "\"") else { throw problem("unexpected \(shown(current)) where a key should be") }
                try string()
                skipSpace()
                guard !atEnd, current == UInt8(ascii: ":") else {
                    throw atEnd ? problem("the document ends inside an object (a truncated file?)") : problem("expected ':' after a key")
                }
                i += 1
                skipSpace()
            }
            try value(depth: depth + 1)
            skipSpace()
            guard !atEnd else { throw problem("the document ends inside \(object ? "an object" : "an array") (a truncated file?)") }
            if current == closing { i += 1; return }
            guard current == UInt8(ascii: ",") else {
                throw problem("unexpected \(shown(current)) where ',' or '\(Character(Unicode.Scalar(closing)))' should be")
            }
            i += 1
            skipSpace()
        }
    }

    private mutating func string() throws {
        let start = i
        i += 1
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") { i += 1; return }
            if b < 0x20 { throw problem("a raw control character (\(shown(b))) inside a string") }
            i += b == UInt8(ascii: "\\") ? 2 : 1
            if i - start > Self.maxStringBytes + 1 {
                i = start
                throw problem("a string longer than \(Self.maxStringBytes) bytes")
            }
        }
        i = start
        throw problem("the document ends inside a string (a truncated file?)")
    }

    private mutating func literal(_ word: String) throws {
        for expected in word.utf8 {
            guard !atEnd, current == expected else {
                throw atEnd ? problem("the document ends inside '\(word)'") : problem("unexpected \(shown(current)) (expected '\(word)')")
            }
            i += 1
        }
    }

    private mutating func number() throws {
        let start = i
        var nonzeroDigit = false, exponent = false
        if current == UInt8(ascii: "-") { i += 1 }
        func digits(mantissa: Bool = true) -> Int {
            var n = 0
            while i < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[i]) {
                if mantissa && bytes[i] != UInt8(ascii: "0") { nonzeroDigit = true }
                i += 1; n += 1
            }
            return n
        }
        let integerDigits = digits()
        guard integerDigits > 0 else { throw problem("a number without digits") }
        if !atEnd && current == UInt8(ascii: ".") {
            i += 1
            guard digits() > 0 else { throw problem("a number with no digit after its point") }
        }
        if !atEnd && (current == UInt8(ascii: "e") || current == UInt8(ascii: "E")) {
            exponent = true
            i += 1
            if !atEnd && (current == UInt8(ascii: "+") || current == UInt8(ascii: "-")) { i += 1 }
            guard digits(mantissa: false) > 0 else { throw problem("a number with no digit in its exponent") }
        }
        guard exponent || integerDigits > 20 else { return }
        // Only a number with an exponent or a long integer part can leave a double's range.
        let token = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
        guard i - start <= 64, let x = Double(token), x.isFinite, x != 0 || !nonzeroDigit else {
            i = start
            throw problem("the number \(token.prefix(64)) is out of a double's range")
        }
    }
}
