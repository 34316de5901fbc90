import ArgumentParser
import Foundation
import SysCost

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the benchmarks.")

    @Argument(help: "Glob patterns on ids ('syscall/*', '*/raw'); none lists everything.")
    var patterns: [String] = []

    @Flag(help: "Print a JSON array of {id, suite, category, description, syscallsPerOp}.")
    var json = false

    struct Entry: Encodable {
        let id, suite, category, description: String
        let syscallsPerOp: Int
    }

    func run() throws {
        let benchmarks = try Catalog.select(patterns)
        if json {
            let entries = benchmarks.map {
                Entry(id: $0.id, suite: $0.suite, category: $0.category.rawValue, description: $0.description,
                      syscallsPerOp: $0.syscallsPerOp)
            }
            print(try PrettyJSON.string(entries), terminator: "")
            return
        }
        let width = benchmarks.map(\.id.count).max() ?? 0
        let categoryWidth = benchmarks.map(\.category.rawValue.count).max() ?? 0
        for b in benchmarks {
            let id = b.id.padding(toLength: width, withPad: " ", startingAt: 0)
            let category = b.category.rawValue.padding(toLength: categoryWidth, withPad: " ", startingAt: 0)
            print("\(id)  \(category)  \(b.description)")
        }
    }
}
