import ArgumentParser
import Foundation
import SysCost
import SysCostModel

@main
struct SysCostCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "syscost",
        abstract: "Measure what it costs a Linux process to enter the kernel.",
        discussion: GateOutcome.table,
        version: EnvironmentCapture.syscostVersion,
        subcommands: [RunCommand.self, ListCommand.self, EnvCommand.self, VDSOCommand.self, CountersCommand.self, CompareCommand.self, HistoryCommand.self, ReportCommand.self, BaselineCommand.self, CalibrateCommand.self, DoctorCommand.self, ProfileCommand.self, WatchCommand.self],
        defaultSubcommand: nil)

    /// ArgumentParser's own entry point exits 64 on a usage error; syscost promises 2.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as SysCostError {
            FileHandle.standardError.write(Data("error: \(Escape.terminal("\(error)", keepingNewlines: true))\n".utf8))
            Foundation.exit(error.exitStatus)
        } catch {
            let code = exitCode(for: error)
            guard code != .success, code != .failure, code.rawValue != 130 else { exit(withError: error) }
            FileHandle.standardError.write(Data((Escape.terminal(fullMessage(for: error), keepingNewlines: true) + "\n").utf8))
            Foundation.exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }
}


