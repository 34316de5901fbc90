import ArgumentParser
import SysCostRender

/// `--format NAME` and its shorthand `--json`, on every command that prints.
struct FormatOptions: ParsableArguments {
    @Option(help: "Output format (each command takes some of these; its help says which).")
    var format: OutputFormat?

    @Flag(help: "Shorthand for --format json.")
    var json = false

    /// The chosen format, one of `allowed`; `fallback` when none was chosen.
    func resolve(_ allowed: [OutputFormat], default fallback: OutputFormat) throws -> OutputFormat {
        if json {
            if let format, format != .json {
                throw ValidationError("--json and --format \(format.rawValue) disagree; give one")
            }
            guard allowed.contains(.json) else { throw ValidationError("this command has no JSON output") }
            return .json
        }
        guard let format else { return fallback }
        guard allowed.contains(format) else {
            throw ValidationError("this command does not write format '\(format.rawValue)'; use \(OutputFormat.list(allowed))")
        }
        return format
    }

    /// Whether the user chose a format at all.
    var given: Bool { json || format != nil }
}
