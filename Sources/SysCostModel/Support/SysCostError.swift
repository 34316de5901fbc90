import Foundation

/// Errors syscost reports to its user, each with its exit status.
public enum SysCostError: Error, CustomStringConvertible, Equatable {
    /// Bad usage: exit 2.
    case usage(String)
    /// A call that failed: exit 1.
    case system(String, Int32)
    /// A file that is not what it should be: exit 2.
    case invalidReport(String)
    /// What was measured could not be written where asked: exit 3.
    case notWritten(String)
    /// `profile`'s command could not be started (its name, exec's errno): exit 127 when it was
    /// not found, 126 when it was found and could not run, as a shell does.
    case commandFailed(String, Int32)

    /// 0 success; 1 a regression or a benchmark that failed its check; 2 bad usage or input;
    /// 3 results could not be written; 128 + n a signal (130 SIGINT, 143 SIGTERM).
    public var exitStatus: Int32 {
        switch self {
        case .usage, .invalidReport: return 2
        case .system: return 1
        case .notWritten: return 3
        case .commandFailed(_, let code): return code == ENOENT ? 127 : 126
        }
    }

    public var description: String {
        switch self {
        case .usage(let message), .invalidReport(let message), .notWritten(let message): return message
        case .system(let what, let code): return "\(what): \(String(cString: strerror(code))) (errno \(code))"
        case .commandFailed(let name, let code):
            return code == ENOENT ? "\(name): command not found" : "\(name): cannot run it: \(String(cString: strerror(code)))"
        }
    }
}
