import ArgumentParser
import Foundation
import SysCost
import SysCostModel
import SysCostRender
import SysCostSuites

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the benchmarks.")

    @Argument(help: "Glob patterns on ids ('syscall/*', '*/raw'); none lists everything.")
    var patterns: [String] = []

    @Flag(help: "LEBench's tests, each with the syscost ids that measure it and how the methods differ.")
    var lebench = false

    @OptionGroup var output: FormatOptions

    struct Entry: Encodable {
        let id, suite, category, description: String
        let syscallsPerOp: Int
    }

    struct LEBenchEntry: Encodable {
        let test: String
        let ids: [String]
        let scale: Double
        let note: String
    }

    func run() throws {
        if lebench {
            if try output.resolve([.table, .json], default: .table) == .json {
                let entries = LEBench.tests.map { LEBenchEntry(test: $0.name, ids: $0.ids.map(\.description), scale: $0.scale, note: $0.note) }
                try say(try PrettyJSON.string(entries), terminator: "")
                return
            }
            return try printLEBench()
        }
        let benchmarks = try Catalog.select(patterns.isEmpty ? ["*"] : patterns)
        if try output.resolve([.table, .json], default: .table) == .json {
            let entries = benchmarks.map {
                Entry(id: $0.id.description, suite: $0.suite.rawValue, category: $0.category.rawValue, description: $0.description,
                      syscallsPerOp: $0.syscallsPerOp)
            }
            try say(try PrettyJSON.string(entries), terminator: "")
            return
        }
        let width = benchmarks.map(\.id.description.count).max() ?? 0
        let categoryWidth = benchmarks.map(\.category.rawValue.count).max() ?? 0
        for b in benchmarks {
            let id = b.id.description.padding(toLength: width, withPad: " ", startingAt: 0)
            let category = b.category.rawValue.padding(toLength: categoryWidth, withPad: " ", startingAt: 0)
            let notes = (b.inDefaultMatrix ? [] : ["not in the default matrix"])
                + LEBench.tests(measuredBy: b.id).map { "LEBench: \($0)" }
            try say("\(id)  \(category)  \(Escape.terminal(b.description))" + (notes.isEmpty ? "" : " [\(notes.joined(separator: "; "))]"))
        }
    }

    /// LEBench test → syscost ids, with how they differ.
    func printLEBench() throws {
        let width = LEBench.tests.map(\.name.count).max() ?? 0
        for test in LEBench.tests {
            let ids = test.ids.isEmpty ? "-" : test.ids.map(\.description).joined(separator: ", ")
            try say(test.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + ids + "  (" + test.note + ")")
        }
    }
}
