import Foundation

/// Runs another program for a test: the one process runner of the tests. Standard output and
/// standard error are drained at once (stderr on a thread of its own), so a program that
/// fills one pipe while the other is read never blocks; a program still running after
/// `timeout` seconds is killed and the outcome says so (a bound on a hang, never a wait for a
/// state: `waitFor` waits for the program to say it reached one).
public enum Tool {
    public struct Outcome: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        /// It was killed after the timeout.
        public var timedOut = false
        public init(status: Int32, stdout: String, stderr: String, timedOut: Bool = false) {
            self.status = status; self.stdout = stdout; self.stderr = stderr; self.timedOut = timedOut
        }
        /// stdout then stderr, as a terminal would show them together.
        public var output: String { stdout + stderr }
    }

    /// A started program: the process and its stdout and stderr pipes.
    public typealias Started = (process: Process, out: Pipe, err: Pipe)

    public static func start(_ executable: String, _ arguments: [String], in directory: URL? = nil,
                             environment: [String: String] = [:]) throws -> Started {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return (process, out, err)
    }

    /// Reads both pipes to their end and waits for the program. `stderrSoFar`: what `waitFor`
    /// already read of its stderr.
    public static func finish(_ started: Started, stderrSoFar: String = "", timeout: Double = 900) -> Outcome {
        final class Box: @unchecked Sendable { var data = Data(); var killed = false }
        let box = Box(), drained = DispatchSemaphore(value: 0), ended = DispatchSemaphore(value: 0)
        let errHandle = started.err.fileHandleForReading, process = started.process
        Thread.detachNewThread { box.data = errHandle.readDataToEndOfFile(); drained.signal() }
        Thread.detachNewThread {
            if ended.wait(timeout: .now() + timeout) == .timedOut, process.isRunning {
                box.killed = true
                kill(process.processIdentifier, SIGKILL)
            }
        }
        let stdout = started.out.fileHandleForReading.readDataToEndOfFile()
        drained.wait()
        process.waitUntilExit()
        ended.signal()
        return Outcome(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                       stderr: stderrSoFar + String(decoding: box.data, as: UTF8.self), timedOut: box.killed)
    }

    /// Reads the program's stderr until it says `text` (it got to that state), however long
    /// that takes on a loaded machine; returns what it read. Throws if the program ends first.
    public static func waitFor(_ text: String, in started: Started) throws -> String {
        var seen = Data()
        while true {
            let chunk = started.err.fileHandleForReading.availableData
            if chunk.isEmpty { throw TestFailure("the program ended before it said '\(text)': \(String(decoding: seen, as: UTF8.self))") }
            seen += chunk
            if String(decoding: seen, as: UTF8.self).contains(text) { return String(decoding: seen, as: UTF8.self) }
        }
    }

    public static func run(_ executable: String, _ arguments: [String], in directory: URL? = nil,
                           environment: [String: String] = [:], timeout: Double = 900) throws -> Outcome {
        finish(try start(executable, arguments, in: directory, environment: environment), timeout: timeout)
    }

    /// `run`, waited for on a thread of its own: an async test that awaits it holds none of
    /// the test runner's few threads (one per CPU), so such tests run side by side however
    /// many CPUs there are.
    public static func runDetached(_ executable: String, _ arguments: [String], in directory: URL? = nil,
                                   environment: [String: String] = [:], timeout: Double = 900) async throws -> Outcome {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result {
                    try run(executable, arguments, in: directory, environment: environment, timeout: timeout)
                })
            }
        }
    }
}

/// Another program the tests check syscost's output with (python3, promtool, bash): found on
/// PATH through /usr/bin/env, run in `dir`; its stdout and stderr together.
public enum ExternalTool {
    public static func run(_ arguments: [String], in dir: URL? = nil, environment: [String: String] = [:],
                           timeout: Double = 900) throws -> (status: Int32, output: String) {
        let outcome = try Tool.run("/usr/bin/env", arguments, in: dir, environment: environment, timeout: timeout)
        return (outcome.status, outcome.output)
    }
}
