import ArgumentParser
import SysCostRender

/// `--format NAME` and its shorthand `--json`, on every command that prints.
struct FormatOptions: ParsableArguments {
    @Option(help: "Output format (the command's help lists which it takes).")
    var format: String?

    @Flag(help: "Shorthand for --format json.")
    var json = false

    /// The chosen format, one of `allowed`; `fallback` when none was chosen.
    func resolve(_ allowed: [OutputFormat], default fallback: OutputFormat) throws -> OutputFormat {
        if json {
            if let format, format != OutputFormat.json.rawValue {
                throw ValidationError("--json and --format \(format) disagree; give one")
            }
            guard allowed.contains(.json) else { throw ValidationError("this command has no JSON output") }
            return .json
        }
        guard let format else { return fallback }
        guard let chosen = OutputFormat(rawValue: format), allowed.contains(chosen) else {
            throw ValidationError("unknown format '\(format)'; use \(OutputFormat.list(allowed))")
        }
        return chosen
    }

    /// Whether the user chose a format at all.
    var given: Bool { json || format != nil }
}
