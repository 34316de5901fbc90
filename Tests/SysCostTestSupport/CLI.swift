import Foundation

/// Runs the built `syscost` executable (it sits beside the test bundle), or the one
/// `SYSCOST_EXECUTABLE` names: the CLI tests run against another build (an older main, to see
/// that a test fails there).
public enum CLI {
    public static var executable: URL {
        if let other = ProcessInfo.processInfo.environment["SYSCOST_EXECUTABLE"] { return URL(fileURLWithPath: other) }
        let bundle = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? "")
        return bundle.deletingLastPathComponent().appendingPathComponent("syscost")
    }

    public typealias Outcome = Tool.Outcome

    /// `user`: run as that uid (and gid) through setpriv, with no supplementary groups.
    public static func start(_ arguments: [String], as user: String? = nil, in directory: URL? = nil,
                             environment: [String: String] = [:]) throws -> Tool.Started {
        if let user {
            return try Tool.start("/usr/bin/setpriv", ["--reuid=\(user)", "--regid=\(user)", "--clear-groups", executable.path] + arguments,
                                  in: directory, environment: environment)
        }
        return try Tool.start(executable.path, arguments, in: directory, environment: environment)
    }

    public static func finish(_ started: Tool.Started, stderrSoFar: String = "", timeout: Double = 900) -> Outcome {
        Tool.finish(started, stderrSoFar: stderrSoFar, timeout: timeout)
    }

    public static func waitFor(_ text: String, in started: Tool.Started) throws -> String { try Tool.waitFor(text, in: started) }

    public static func run(_ arguments: [String], as user: String? = nil, in directory: URL? = nil,
                           environment: [String: String] = [:], timeout: Double = 900) throws -> Outcome {
        finish(try start(arguments, as: user, in: directory, environment: environment), timeout: timeout)
    }

    /// The fallback files (`syscost-unsaved-*`) an error message names.
    public static func fallbacks(in stderr: String) -> [String] {
        stderr.split(whereSeparator: { " \n():".contains($0) }).map(String.init).filter { $0.contains("/syscost-unsaved-") }
    }

    /// A fresh path for a report in the temporary directory (the caller unlinks it).
    public static func reportPath(_ tag: String) -> String { TempFolder.filePath(tag) }
}
