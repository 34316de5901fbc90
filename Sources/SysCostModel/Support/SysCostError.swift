import Foundation

/// Errors syscost reports to its user. `usage` errors exit with status 2.
public enum SysCostError: Error, CustomStringConvertible, Equatable {
    case usage(String)
    case system(String, Int32)
    case invalidReport(String)

    public var description: String {
        switch self {
        case .usage(let message), .invalidReport(let message): return message
        case .system(let what, let code): return "\(what): \(String(cString: strerror(code))) (errno \(code))"
        }
    }
}
