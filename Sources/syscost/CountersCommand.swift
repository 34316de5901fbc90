import ArgumentParser
import Foundation
import SysCost
import SysCostModel
import SysCostRender

struct CountersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "counters",
        abstract: "Show which counters this machine can count, and why the others cannot be.",
        discussion: "For each name: how libpfm4 encodes it, whether perf_event_open opens it for this process, and if not, why.")

    @Argument(help: "Event names (as `perf list` spells them; ':u' user, ':k' kernel); none: the default set and the other software events.")
    var names: [String] = []

    @OptionGroup var output: FormatOptions

    func run() throws {
        let format = try output.resolve([.table, .json], default: .table)
        let list = names.isEmpty ? CounterProbe.defaultNames : names.map { CounterName($0) }
        let probe = CounterProbe.run(list)
        // An unknown name is bad input, as it is for `run --counters`: the table still says
        // what libpfm4 said of each name, and the exit status says the list was wrong.
        let unknown = probe.entries.filter { $0.encoding == nil }
        if format == .json {
            try say(try PrettyJSON.string(probe), terminator: "")
        } else {
            try say(probe.table(), terminator: "")
        }
        if !unknown.isEmpty {
            throw SysCostError.usage("unknown counter\(unknown.count > 1 ? "s" : ""): \(unknown.map(\.name.rawValue).joined(separator: ", ")); `syscost counters` lists what this machine can count")
        }
    }
}
