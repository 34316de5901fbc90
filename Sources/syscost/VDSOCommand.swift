import ArgumentParser
import Foundation
import SysCost
import SysCostModel
import SysCostRender

struct VDSOCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vdso", abstract: "Print what this process's vDSO exports (parsed from its ELF image).")

    @OptionGroup var output: FormatOptions

    struct Entry: Encodable {
        let name: String
        let version: String?
        let address: String
        let size: UInt64
        let type: String
    }

    func run() throws {
        let image = try VDSOImage.current()
        let entries = try image.symbols().map { s in
            Entry(name: s.name, version: s.version,
                  address: String(format: "0x%lx", image.base + UInt(s.value)), size: s.size,
                  type: s.isFunction ? "function" : "object")
        }
        if try output.resolve([.table, .json], default: .table) == .json {
            try say(try PrettyJSON.string(entries), terminator: "")
            return
        }
        try say(String(format: "vDSO at 0x%lx, %d bytes, %d symbols", image.base, image.bytes.count, entries.count))
        let width = entries.map(\.name.count).max() ?? 0
        for e in entries {
            try say("\(e.address)  \(e.name.padding(toLength: width, withPad: " ", startingAt: 0))  "
                  + "\((e.version ?? "-").padding(toLength: 12, withPad: " ", startingAt: 0))  \(e.type)  \(e.size) bytes")
        }
    }
}
