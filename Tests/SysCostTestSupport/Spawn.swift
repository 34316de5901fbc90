import Foundation
import SysCostTestSupport

/// One child process run to its end with posix_spawn and wait4: its exit status or the
/// signal that ended it, its peak memory, its wall time, and its stderr. Standard output goes
/// to `stdout` (a path: /dev/null, /dev/full, a file), standard error to a file read back.
/// A child still running after `limit` seconds is killed and reported as such (a bound on a
/// hang, not a wait for a state).
public struct Spawned {
    public var status: Int32?
    public var signal: Int32?
    public var killedAfterLimit = false
    public var kib: Int
    public var seconds: Double
    public var stderr: String

    public var exitedNormally: Bool { signal == nil && !killedAfterLimit }

    public static func run(_ arguments: [String], executable: String = CLI.executable.path, directory: String? = nil,
                    environment: [String: String] = [:], stdout: String = "/dev/null", limit: Double = 600) throws -> Spawned {
        let errPath = CLI.reportPath("spawn-err")
        defer { unlink(errPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        // In `directory`: through env(1)'s --chdir, which then execs the program (wait4 still
        // measures it: the same process).
        let program = directory == nil ? executable : "/usr/bin/env"
        let argv = ((directory.map { ["/usr/bin/env", "--chdir=\($0)"] } ?? []) + [executable] + arguments).map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for p in envp { free(p) } }
        var pid = pid_t()
        let start = Date()
        let rc = posix_spawn(&pid, program, &actions, nil, argv, envp)
        guard rc == 0 else { throw TestFailure("posix_spawn \(executable): \(String(cString: strerror(rc)))") }
        var status: Int32 = 0
        var usage = rusage()
        var killed = false
        var pause: UInt32 = 200
        while true {
            let r = wait4(pid, &status, WNOHANG, &usage)
            if r == pid { break }
            if r < 0 && errno != EINTR { throw TestFailure("wait4: \(String(cString: strerror(errno)))") }
            if !killed && Date().timeIntervalSince(start) > limit { kill(pid, SIGKILL); killed = true }
            usleep(pause)
            pause = min(pause * 2, 20_000)
        }
        let seconds = Date().timeIntervalSince(start)
        let signalled = (status & 0x7f) != 0
        return Spawned(status: signalled ? nil : (status >> 8) & 0xff, signal: signalled ? status & 0x7f : nil,
                       killedAfterLimit: killed, kib: usage.ru_maxrss, seconds: seconds,
                       stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
    }
}
