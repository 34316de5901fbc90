import Foundation
import Synchronization

/// Everything syscost says on standard error — progress, warnings, notes, errors — goes
/// through here, and every write is checked. Foundation's `FileHandle.standardError.write`
/// traps when the write fails (stderr on a full disk, a closed pipe): here a failed write is
/// remembered, what it would have said is appended to one fallback file in the temporary
/// directory, and the command ends with exit 3 instead of 0 (`exitStatus(after:)`).
public enum StandardError {
    private struct State {
        var failed = false
        var fallback: Int32 = -1
        var fallbackPath: String?
    }

    private static let state = Mutex(State())

    public static func write(_ text: String) { write(Data(text.utf8)) }

    public static func write(_ data: Data) {
        state.withLock { state in
            if !state.failed, OutputFile.writeAll(data, to: STDERR_FILENO) == nil { return }
            state.failed = true
            if state.fallback < 0 { (state.fallback, state.fallbackPath) = openFallback() }
            if state.fallback >= 0 { _ = OutputFile.writeAll(data, to: state.fallback) }
        }
    }

    /// Whether a write to standard error failed, and where its text went instead.
    public static var failure: (failed: Bool, fallback: String?) { state.withLock { ($0.failed, $0.fallbackPath) } }

    /// The status a command ends with: 3 when it would have ended with 0 but could not say
    /// everything it had to on standard error (a gate's or an error's own status stands).
    public static func exitStatus(after status: Int32) -> Int32 {
        status == 0 && failure.failed ? 3 : status
    }

    private static func openFallback() -> (Int32, String?) {
        guard let (fd, path) = try? ResultWriter.createFallback(name: "stderr.txt") else { return (-1, nil) }
        return (fd, path)
    }
}
