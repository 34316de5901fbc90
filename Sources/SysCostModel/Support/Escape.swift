import Foundation

/// Text from a report, a file name or a user, made safe to show: reports travel between
/// people, and a string in one must never drive the terminal that shows it (an escape
/// sequence that retitles the window or clears the screen) nor hide what follows it.
public enum Escape {
    /// `s` with every control character shown as an escape: C0 (`\n`, `\t`, `\x1b`…), DEL,
    /// C1 (`\u{9b}`…), and Unicode's invisible format controls that reorder or hide text
    /// (bidirectional overrides and isolates, zero-width characters, the BOM).
    /// `keepingNewlines`: line feeds stay (for whole documents; a cell never keeps one).
    public static func terminal(_ s: String, keepingNewlines: Bool = false) -> String {
        guard s.unicodeScalars.contains(where: { needsEscape($0, keepingNewlines: keepingNewlines) }) else { return s }
        var out = String.UnicodeScalarView()
        for scalar in s.unicodeScalars {
            guard needsEscape(scalar, keepingNewlines: keepingNewlines) else { out.append(scalar); continue }
            out.append(contentsOf: shown(scalar).unicodeScalars)
        }
        return String(out)
    }

    static func needsEscape(_ c: Unicode.Scalar, keepingNewlines: Bool) -> Bool {
        switch c.value {
        case 0x0A: return !keepingNewlines
        case 0x00...0x1F, 0x7F...0x9F: return true
        case 0x200B...0x200F, 0x202A...0x202E, 0x2060...0x2069, 0xFEFF, 0xFFF9...0xFFFB: return true
        default: return false
        }
    }

    static func shown(_ c: Unicode.Scalar) -> String {
        switch c.value {
        case 0x0A: return "\\n"
        case 0x09: return "\\t"
        case 0x0D: return "\\r"
        case 0x1B: return "\\e"
        case 0...0xFF: return String(format: "\\x%02x", c.value)
        default: return String(format: "\\u{%x}", c.value)
        }
    }

    /// The columns `s` takes on a terminal: two for each wide character (East Asian wide and
    /// full-width, emoji shown as emoji), none for a character that only combines, one for the
    /// rest. Meant for text already made safe by `terminal`.
    public static func width(_ s: String) -> Int {
        var columns = 0
        for character in s {
            if character.isASCII { columns += 1; continue }
            let scalars = character.unicodeScalars
            if scalars.contains(where: isWide) { columns += 2; continue }
            guard let first = scalars.first else { continue }
            switch first.properties.generalCategory {
            case .nonspacingMark, .enclosingMark, .format: continue
            default: columns += 1
            }
        }
        return columns
    }

    static func isWide(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
             0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x20000...0x2FFFD,
             0x30000...0x3FFFD:
            return true
        default:
            return c.properties.isEmojiPresentation
        }
    }
}
