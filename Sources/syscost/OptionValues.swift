import ArgumentParser
import SysCost
import SysCostModel
import SysCostRender

// The values of the options with a fixed vocabulary or a structure, as types the parser
// makes: a bad value is refused while parsing (exit 2, naming the option and, for a
// vocabulary, every value it takes), and the help lists the values from the type itself.

/// `--format`: every format's name (each command says which it takes).
extension OutputFormat: ExpressibleByArgument {}

/// `--speculation`: `store-bypass` or `indirect-branch`.
extension SpeculationKnob: ExpressibleByArgument {}

/// `--seccomp`, `--seccomp-whole-run`: a number of instructions, `cached` or `docker-like`.
extension SeccompFilter: ExpressibleByArgument {
    public init?(argument: String) {
        guard let filter = try? SeccompFilter(spec: argument) else { return nil }
        self = filter
    }

    public static var allValueStrings: [String] { ["2…\(maxInstructions)"] + SeccompFilter.namedSpecs }
    public static var defaultCompletionKind: CompletionKind { .list(SeccompFilter.namedSpecs) }
}
