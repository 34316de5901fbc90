import ArgumentParser
import Foundation
import SysCost
import SysCostModel
import SysCostRender

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the benchmarks.")

    @Argument(help: "Glob patterns on ids ('syscall/*', '*/raw'); none lists everything.")
    var patterns: [String] = []

    @OptionGroup var output: FormatOptions

    struct Entry: Encodable {
        let id, suite, category, description: String
        let syscallsPerOp: Int
    }

    func run() throws {
        let benchmarks = try Catalog.select(patterns)
        if try output.resolve([.table, .json], default: .table) == .json {
            let entries = benchmarks.map {
                Entry(id: $0.id.description, suite: $0.suite.rawValue, category: $0.category.rawValue, description: $0.description,
                      syscallsPerOp: $0.syscallsPerOp)
            }
            print(try PrettyJSON.string(entries), terminator: "")
            return
        }
        let width = benchmarks.map(\.id.description.count).max() ?? 0
        let categoryWidth = benchmarks.map(\.category.rawValue.count).max() ?? 0
        for b in benchmarks {
            let id = b.id.description.padding(toLength: width, withPad: " ", startingAt: 0)
            let category = b.category.rawValue.padding(toLength: categoryWidth, withPad: " ", startingAt: 0)
            print("\(id)  \(category)  \(b.description)")
        }
    }
}
