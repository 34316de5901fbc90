import Foundation

/// A small command's standard output, with posix_spawn and a pipe: no thread. Foundation's
/// `Process` starts threads to watch its child, and a process that has had a second thread
/// keeps glibc's longer cancellation-point path for good, so the runner's environment capture
/// must not use it before the single-threaded twin is forked.
enum SpawnedOutput {
    /// What `argv` (argv[0] a path) wrote to stdout, trimmed, when it exited 0; at most
    /// `limit` bytes are read.
    static func read(_ argv: [String], limit: Int = 1 << 16) -> String? {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return nil }
        defer { close(fds[0]) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addclose(&actions, fds[0])
        posix_spawn_file_actions_addclose(&actions, fds[1])
        var cArgs = argv.map { strdup($0) } + [nil]
        defer { for arg in cArgs { free(arg) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argv[0], &actions, nil, &cArgs, environ)
        close(fds[1])
        guard spawned == 0 else { return nil }
        var data = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 4096)
        while data.count < limit {
            let n = Glibc.read(fds[0], &chunk, chunk.count)
            if n > 0 { data += chunk[..<n] } else if n < 0 && errno == EINTR { continue } else { break }
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        guard status == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
