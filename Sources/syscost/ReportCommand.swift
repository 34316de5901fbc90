import ArgumentParser
import Foundation
import SysCost

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a self-contained HTML report (inline SVG, no scripts, nothing fetched) of one run or many.",
        discussion: "With a directory or several files: their history across kernels with a trend chart per benchmark, then the newest run in detail.")

    @Argument(help: "A report file, or directories and files of reports.") var paths: [String] = []

    @Option(help: "The HTML file to write.") var html: String

    func validate() throws {
        guard !paths.isEmpty else { throw ValidationError("give a report file or a directory of reports") }
    }

    func run() throws {
        let page = HTMLReport.page(try ReportLoader.collect(paths))
        try AtomicFile.write(Data(page.utf8), to: html)
        FileHandle.standardError.write(Data("wrote \(html)\n".utf8))
    }
}
