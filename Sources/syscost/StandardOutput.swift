import Foundation
import SysCostModel

/// Everything syscost prints goes through here, and every write is checked: a short write,
/// ENOSPC, EIO (or EPIPE, where SIGPIPE is ignored) is exit 3, never exit 0. What could not be
/// written goes to a fallback file in the temporary directory, named on standard error; when
/// standard output is a regular file, what this write put there is cut off again, so no reader
/// takes a partial report for a whole one.
enum StandardOutput {
    /// Writes `text` to standard output; throws `notWritten` (exit 3) naming the fallback file.
    static func write(_ text: String, fallbackName: String) throws {
        try write(fallbackName: fallbackName) { try $0.write(text) }
    }

    /// What `produce` writes, piece by piece, to standard output; on a failure, `produce` is
    /// run again into the fallback file.
    static func write(fallbackName: String, _ produce: (TextSink) throws -> Void) throws {
        var st = stat()
        let regular = fstat(STDOUT_FILENO, &st) == 0 && FileType(mode: st.st_mode) == .regular
        let start = regular ? lseek(STDOUT_FILENO, 0, SEEK_CUR) : -1
        let failure: Int32?
        do { failure = try TextSink.write(to: STDOUT_FILENO, produce) } catch {
            if start >= 0 { _ = ftruncate(STDOUT_FILENO, start) }
            throw error
        }
        guard let failure else { return }
        if start >= 0 { _ = ftruncate(STDOUT_FILENO, start) }
        let why = String(cString: strerror(failure))
        do {
            let fallback = try ResultWriter.writeFallback(name: fallbackName, produce)
            throw SysCostError.notWritten("could not write standard output (\(why)): what it would have shown is in \(fallback)")
        } catch let error as SysCostError {
            throw error
        } catch {
            throw SysCostError.notWritten("could not write standard output (\(why)), nor a fallback file (\(error.localizedDescription))")
        }
    }
}

/// A line (or `terminator`-ended text) on standard output, checked: the commands' `print`. A
/// failed write ends the command with exit 3 after saying where the text went.
func say(_ text: String, terminator: String = "\n") throws {
    try StandardOutput.write(text + terminator, fallbackName: "output.txt")
}
