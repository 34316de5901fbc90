import Foundation
import Testing
import SysCostTestSupport

/// Issue 28: no precondition, fatalError, try!, as! or force-unwrap can be reached from input.
/// Each one left in Sources is listed, with why, in Tests/Fixtures/unreachable-traps.txt; a new
/// one fails here until it is removed or listed with its reason, and a listed one that is gone
/// fails until its line is removed.
@Suite struct TrapInventoryTests {
    static let root = PackageRoot.url

    /// `path<TAB>line` of every trap in Sources (comments and strings' "!" aside).
    static func traps() throws -> [String] {
        let pattern = try NSRegularExpression(pattern: #"fatalError|precondition|try!| as! |[\w\)\]]!(?!=)"#)
        var found: [String] = []
        let sources = root.appendingPathComponent("Sources")
        let files = FileManager.default.enumerator(atPath: sources.path)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") } ?? []
        for file in files.sorted() {
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
                let line = raw.trimmingCharacters(in: .whitespaces)
                guard !line.hasPrefix("//") else { continue }
                // Outside string literals: drop every "…" before looking.
                let code = line.replacingOccurrences(of: #""([^"\\]|\\.)*""#, with: "\"\"", options: .regularExpression)
                guard pattern.firstMatch(in: code, range: NSRange(code.startIndex..., in: code)) != nil else { continue }
                found.append("Sources/\(file)\t\(line)")
            }
        }
        return found
    }

    @Test func everyTrapLeftIsListedWithWhyInputCannotReachIt() throws {
        let inventory = try String(contentsOf: Self.root.appendingPathComponent("Tests/Fixtures/unreachable-traps.txt"), encoding: .utf8)
        var listed: [String: String] = [:]
        for line in inventory.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            #expect(fields.count == 3 && !fields[2].isEmpty, "an entry without its reason: \(line)")
            if fields.count == 3 { listed[fields[0] + "\t" + fields[1]] = fields[2] }
        }
        let found = try Self.traps()
        let unlisted = found.filter { listed[$0] == nil }
        let gone = Set(listed.keys).subtracting(found)
        #expect(unlisted.isEmpty, "traps not in Tests/Fixtures/unreachable-traps.txt (remove them, or list them with why no input reaches them):\n\(unlisted.joined(separator: "\n"))")
        #expect(gone.isEmpty, "listed traps no longer in Sources: \(gone.sorted())")
        #expect(found.count >= 1, "the search found nothing: it is broken")
    }
}
