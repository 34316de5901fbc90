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
        let data = Data(text.utf8)
        var st = stat()
        let regular = fstat(STDOUT_FILENO, &st) == 0 && FileType(mode: st.st_mode) == .regular
        let start = regular ? lseek(STDOUT_FILENO, 0, SEEK_CUR) : -1
        guard let failure = OutputFile.writeAll(data, to: STDOUT_FILENO) else { return }
        if start >= 0 { _ = ftruncate(STDOUT_FILENO, start) }
        let why = String(cString: strerror(failure))
        do {
            let fallback = try ResultWriter.writeFallback(data, name: fallbackName)
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
