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
        subcommands: [RunCommand.self, ListCommand.self, EnvCommand.self, VDSOCommand.self, CountersCommand.self, CompareCommand.self, HistoryCommand.self, ReportCommand.self, BaselineCommand.self, CalibrateCommand.self, DoctorCommand.self, ProfileCommand.self, WatchCommand.self, BisectCommand.self],
        defaultSubcommand: nil)

    /// ArgumentParser's own entry point exits 64 on a usage error; syscost promises 2. Its
    /// help and version text are written checked, as everything else is: a failed write of
    /// standard output or standard error is exit 3, never 0.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
            finish(0)
        } catch let error as SysCostError {
            StandardError.write("error: \(Escape.terminal("\(error)", keepingNewlines: true))\n")
            finish(error.exitStatus)
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                // --help, --version: the text asked for, on standard output.
                do { if !message.isEmpty { try StandardOutput.write(message + "\n", fallbackName: "help.txt") } } catch {
                    StandardError.write("error: \(error)\n")
                    finish(3)
                }
                finish(0)
            }
            if !message.isEmpty { StandardError.write(Escape.terminal(message, keepingNewlines: true) + "\n") }
            finish(code == .validationFailure ? 2 : code.rawValue)
        }
    }

    /// Ends the process with `status`, or 3 when standard error could not be written.
    static func finish(_ status: Int32) -> Never {
        Foundation.exit(StandardError.exitStatus(after: status))
    }
}
