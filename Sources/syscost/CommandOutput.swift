import Foundation
import SysCostModel
import SysCostRender

/// How every command puts out what it made: to the file its `--output` (or `--html`) names,
/// checked before any work (exit 2 naming the cause), written by `OutputFile`'s rules, and
/// to a named fallback file when that still fails (exit 3); or to standard output.
enum CommandOutput {
    /// Checks each given path can be written, before any work (`OutputFile.check`: a missing
    /// directory, a directory, a block device, no permission).
    static func check(_ paths: String?...) throws {
        for path in paths.compactMap({ $0 }) { try OutputFile.check(path) }
    }

    /// `document` in `format` to `path`, or printed when there is none.
    /// Written piece by piece (`Exportable.write`), so no format holds a large report's whole text.
    static func emit(_ document: some Exportable, as format: OutputFormat, _ options: ExportOptions = ExportOptions(),
                     to path: String?, fallbackName: String) throws {
        try emit(to: path, fallbackName: fallbackName + "." + format.rawValue) { try document.write(as: format, options, to: $0) }
    }

    /// `text` to `path`, or printed when there is none.
    static func emit(_ text: String, to path: String?, fallbackName: String) throws {
        try emit(to: path, fallbackName: fallbackName) { try $0.write(text) }
    }

    static func emit(to path: String?, fallbackName: String, _ produce: (TextSink) throws -> Void) throws {
        guard let path else {
            try StandardOutput.write(fallbackName: fallbackName, produce)
            return
        }
        try ResultWriter.write(to: path, fallbackName: fallbackName, produce)
        StandardError.write(Data("wrote \(Escape.terminal(path))\n".utf8))
    }
}
