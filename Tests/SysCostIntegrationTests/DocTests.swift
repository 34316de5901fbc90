import Foundation
import SysCostTestSupport
import Testing

/// The docs cannot go stale: the README is a front page, and every fenced command of
/// README.md and docs/*.md runs (scripts/doctest.py), with the exit status its page says.
@Suite struct DocTests {
    /// README.md and every page of docs/, each a test case of its own: pages run side by
    /// side, each page's commands in order (a page may build on its earlier commands).
    static let pages: [String] = ["README.md"] + ((try? FileManager.default.contentsOfDirectory(atPath: PackageRoot.path("docs").path)) ?? [])
        .filter { $0.hasSuffix(".md") }.sorted()

    static func doctest(_ arguments: [String]) async throws -> Tool.Outcome {
        try await Tool.runDetached("/usr/bin/env", ["python3", PackageRoot.path("scripts/doctest.py").path] + arguments,
                                   environment: ["SYSCOST_BIN_DIR": CLI.executable.deletingLastPathComponent().path], timeout: 1800)
    }

    @Test func theReadmeIsAFrontPage() throws {
        let text = try String(contentsOf: PackageRoot.path("README.md"), encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count <= 150, "README.md has \(lines.count) lines")
        // Counted in bytes, as a terminal's `awk length` and the repository's check count them:
        // an en dash or an ellipsis is three.
        let long = lines.enumerated().filter { $0.element.utf8.count > 120 }.map { "line \($0.offset + 1): \($0.element.utf8.count) bytes" }
        #expect(long.isEmpty, "\(long)")
        // Every page it links to is there.
        let links = try NSRegularExpression(pattern: #"\]\((docs/[^)#]+)"#)
            .matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { Range($0.range(at: 1), in: text).map { String(text[$0]) } }
        #expect(links.count >= 10)
        for link in links { #expect(FileManager.default.fileExists(atPath: PackageRoot.path(link).path), "README links to \(link), which is not there") }
    }

    /// Every fenced command of the page does what the page says.
    @Test(arguments: pages) func everyFencedCommandRunsAsItsPageSays(page: String) async throws {
        let r = try await Self.doctest(["--only", page])
        #expect(r.status == 0 && !r.timedOut, "\(page): \(r.stderr.suffix(6000))")
        #expect(r.stderr.contains("from 1 page(s), 0 failed"), "\(page): \(r.stderr.suffix(2000))")
    }

    @Test func everyPageIsTested() {
        #expect(Self.pages.count >= 15 && Self.pages.contains("testing.md") && Self.pages.contains("README.md"), "\(Self.pages)")
    }

    /// A page whose command fails, or whose exit status is not the one it says, fails the doc
    /// test; a fence that does not say what it holds is refused: the test above can fail.
    @Test func aBrokenPageFails() async throws {
        let tree = try TempFolder("doctest")
        defer { tree.remove() }
        try FileManager.default.createDirectory(at: tree.file("docs"), withIntermediateDirectories: false)
        try "# x\n\n```sh\ntrue\nfalse\nsh -c 'exit 3'   # exit 3\n```\n".write(to: tree.file("README.md"), atomically: true, encoding: .utf8)
        let broken = try await Self.doctest(["--root", tree.path])
        #expect(broken.status == 1, "\(broken.stderr)")
        #expect(broken.stderr.contains("README.md:5: `false` exited 1, the page says 0"), "\(broken.stderr)")
        #expect(broken.stderr.contains("3 command(s) from 1 page(s), 1 failed"), "\(broken.stderr)")
        try "# y\n\n```\nls\n```\n".write(to: tree.file("docs/page.md"), atomically: true, encoding: .utf8)
        let untyped = try await Self.doctest(["--root", tree.path])
        #expect(untyped.status == 2 && untyped.stderr.contains("page.md:3: a fence with no info string"), "\(untyped.stderr)")
    }
}
