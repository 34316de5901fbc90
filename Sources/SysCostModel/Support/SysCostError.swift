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

    /// 0 success; 1 a regression or a benchmark that failed its check; 2 bad usage or input;
    /// 3 results could not be written; 128 + n a signal (130 SIGINT, 143 SIGTERM).
    public var exitStatus: Int32 {
        switch self {
        case .usage, .invalidReport: return 2
        case .system: return 1
        case .notWritten: return 3
        }
    }

    public var description: String {
        switch self {
        case .usage(let message), .invalidReport(let message), .notWritten(let message): return message
        case .system(let what, let code): return "\(what): \(String(cString: strerror(code))) (errno \(code))"
        }
    }
}
