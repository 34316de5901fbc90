import ArgumentParser
import Foundation
import SysCost

struct CountersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "counters",
        abstract: "Show which counters this machine can count, and why the others cannot be.",
        discussion: "For each name: how libpfm4 encodes it, whether perf_event_open opens it for this process, and if not, why.")

    @Argument(help: "Event names (as `perf list` spells them; ':u' user, ':k' kernel); none: the default set and the other software events.")
    var names: [String] = []

    @Option(help: "Format: table or json.")
    var format: String = "table"

    func validate() throws {
        guard ["table", "json"].contains(format) else { throw ValidationError("unknown format '\(format)'; use table or json") }
    }

    func run() throws {
        let list = names.isEmpty ? CounterProbe.defaultNames : names
        let probe = CounterProbe.run(list)
        if format == "json" {
            print(try PrettyJSON.string(probe), terminator: "")
        } else {
            print(probe.table(), terminator: "")
        }
    }
}
