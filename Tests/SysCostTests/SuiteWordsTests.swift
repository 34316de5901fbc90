import Foundation
@testable import SysCost
@testable import SysCostModel
@testable import SysCostSuites
import Testing
import SysCostTestSupport

/// A suite's words live in its folders (`Sources/SysCostSuites/<Suite>/`,
/// `Sources/SysCost/Suites/<Suite>/`): no other source file spells one of its ids, the names
/// in them or its suite's name as a string literal (they use the descriptor's constants), and
/// no code picks behaviour from the spelling of an id's variant.
@Suite struct SuiteWordsTests {
    /// Every string literal in a Swift, C or header file, as written.
    static func literals(in text: String) -> [String] {
        let pattern = try! NSRegularExpression(pattern: #""((?:[^"\\\n]|\\.)*)""#)
        return pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap {
            Range($0.range(at: 1), in: text).map { String(text[$0]) }
        }
    }

    /// The suite whose folder holds `path`, if any (a folder's name, lowercased, is its suite's).
    static func owner(of path: String) -> String? {
        let parts = path.split(separator: "/").map(String.init)
        for (i, part) in parts.enumerated() where i + 1 < parts.count && (part == "SysCostSuites" || part == "Suites") {
            return parts[i + 1].lowercased()
        }
        return nil
    }

    /// What in `text` spells a suite's words (`words`: id or "suite/name" → suite), with the
    /// suite each belongs to: such a literal, a `SuiteName("…")`, or a `BenchmarkID(` made of
    /// literals; and any comparison of a variant (`id.variant == …`).
    static func spellings(in text: String, words: [String: String]) -> [(String, String?)] {
        var found: [(String, String?)] = []
        let code = text.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.drop { $0 == " " }.hasPrefix("//") }.joined(separator: "\n")
        for literal in literals(in: code) { if let suite = words[literal] { found.append(("\"\(literal)\"", suite)) } }
        for line in code.split(separator: "\n").map(String.init) {
            if let r = line.range(of: #"SuiteName\("([a-z0-9_-]+)"\)"#, options: .regularExpression) {
                let name = line[r].dropFirst(#"SuiteName(""#.count).dropLast(2)
                if Self.suites.contains(String(name)) { found.append((String(line[r]), String(name))) }
            }
            // An id of a registered suite made from a literal name.
            if let r = line.range(of: #"BenchmarkID\(\.[a-z]+, *""#, options: .regularExpression) {
                let name = line[r].dropFirst("BenchmarkID(.".count).prefix { $0 != "," }
                if Self.suites.contains(String(name)) { found.append(("BenchmarkID(.\(name), \"…\")", String(name))) }
            }
            // Any comparison of an id's variant: a form is asked of the whole id (`isForm`).
            if line.range(of: #"variant *[!=]= *"#, options: .regularExpression) != nil {
                found.append(("a test on the spelling of an id's variant", nil))
            }
        }
        return found
    }

    static let suites = Set(Suites.all.map(\.suite.rawValue))

    @Test func noSuiteIsSpelledOutsideItsFolders() throws {
        var words: [String: String] = [:]
        for id in Catalog.all().map(\.id) {
            words[id.description] = id.suite.rawValue
            words["\(id.suite.rawValue)/\(id.name)"] = id.suite.rawValue
        }
        let sources = PackageRoot.url.appendingPathComponent("Sources")
        let files = try #require(FileManager.default.enumerator(atPath: sources.path)).compactMap { $0 as? String }
            .filter { $0.hasSuffix(".swift") || $0.hasSuffix(".c") || $0.hasSuffix(".h") }
        var found: [String] = []
        for file in files {
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            let owner = Self.owner(of: file)
            for (what, suite) in Self.spellings(in: text, words: words) where suite == nil || suite != owner {
                found.append("\(file): \(what)")
            }
        }
        #expect(found.isEmpty, "\(found.joined(separator: "\n"))")
    }

    /// The scan sees a planted word: it is not a test that cannot fail.
    @Test func theScanFindsAPlantedWord() {
        let words = ["ctxswitch/pipe_libc-process/same-cpu": "ctxswitch"]
        #expect(Self.suites.contains("io") && Self.suites.contains("syscall"))
        let planted = Self.spellings(in: #"let a = "ctxswitch/pipe_libc-process/same-cpu", b = SuiteName("io"); if id.variant == "libc" {}"#
                                     + "\n" + #"BenchmarkID(.syscall, "getpid", "raw")"#, words: words)
        #expect(planted.map(\.0) == ["\"ctxswitch/pipe_libc-process/same-cpu\"", #"SuiteName("io")"#,
                                      "a test on the spelling of an id's variant", #"BenchmarkID(.syscall, "…")"#])
        #expect(Self.literals(in: #"let id = BenchmarkID(SuiteName("ctxswitch"), "pipe_libc-process", "same-cpu")"#)
            == ["ctxswitch", "pipe_libc-process", "same-cpu"])
        #expect(Self.owner(of: "SysCostSuites/CtxSwitch/CtxSwitchDescriptor.swift") == "ctxswitch")
        #expect(Self.owner(of: "SysCost/Suites/Benchmark.swift") == "benchmark.swift")
        #expect(Self.owner(of: "SysCostSuites/LEBench.swift") == "lebench.swift")
        #expect(Self.owner(of: "syscost/MeasureOptions.swift") == nil)
        #expect(Self.spellings(in: "if r.id.variant != Self.sameCPU {}", words: [:]).count == 1)
    }
}
