import Foundation
import SysCostModel

/// How a document is written besides its format.
public struct ExportOptions: Sendable {
    /// Indented JSON (`--pretty`); run reports are one line by default.
    public var pretty: Bool
    /// The columns a text table may take before it turns into one block per row.
    public var width: Int

    public init(pretty: Bool = false, width: Int = 160) { self.pretty = pretty; self.width = width }
}

/// Anything syscost puts out — a run, a comparison (what `compare` and `baseline check`
/// print), a history, a profile — rendered to any of its formats by one call. Every command
/// writes through this one protocol and one output path (`CommandOutput` in the CLI), as
/// hyperfine's exporters do.
public protocol Exportable {
    /// The formats this document can be written in.
    static var formats: [OutputFormat] { get }
    func export(as format: OutputFormat, _ options: ExportOptions) throws -> String
    /// The document written piece by piece to `sink`: what a command puts out. A format whose
    /// text grows with a report's rounds writes it so (memory stays bounded); the others write
    /// their `export` in one piece.
    func write(as format: OutputFormat, _ options: ExportOptions, to sink: TextSink) throws
}

extension Exportable {
    public func export(as format: OutputFormat) throws -> String { try export(as: format, ExportOptions()) }

    public func write(as format: OutputFormat, _ options: ExportOptions, to sink: TextSink) throws {
        try sink.write(try export(as: format, options))
    }
}

/// A format a document does not have: a programming error, since the CLI offers each
/// command only its document's `formats`.
struct UnsupportedFormat: Error, CustomStringConvertible {
    var format: OutputFormat
    var document: String
    var description: String { "\(document) has no \(format.rawValue) output" }
}
