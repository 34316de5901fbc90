import CSysCost
import Foundation
import SysCostModel

/// Everything syscost asks the host outside a timed batch: files under /proc and /sys, and
/// perf events. Tests hand the counting code a simulated one (a PMU that multiplexes, refuses
/// kernel mode, lacks an event). The timed loops never go through here: they call the kernel
/// from C.
public struct HostSystem: Sendable {
    /// A file's text, or nil when it cannot be read.
    public var read: @Sendable (String) -> String?
    /// A directory's entries, or nil when it cannot be listed.
    public var list: @Sendable (String) -> [String]?
    public var perf: PerfEvents

    public init(read: @escaping @Sendable (String) -> String?, list: @escaping @Sendable (String) -> [String]?,
                perf: PerfEvents) {
        self.read = read; self.list = list; self.perf = perf
    }

    /// The machine this process runs on.
    public static let live = HostSystem(
        read: { try? String(contentsOfFile: $0, encoding: .utf8) },
        list: { try? FileManager.default.contentsOfDirectory(atPath: $0) },
        perf: .live)
}

/// perf_event_open and the calls on its descriptors; each returns a negative errno on failure.
public struct PerfEvents: Sendable {
    /// Opens `attr` on `task` (0: the calling thread) in group `group` (-1: a new group):
    /// the descriptor.
    public var open: @Sendable (perf_event_attr, _ task: pid_t, _ group: Int32) -> Int32
    /// Enables (true) or disables a group through its leader.
    public var enable: @Sendable (_ leader: Int32, Bool) -> Int32
    /// Reads a group (PERF_FORMAT_GROUP with times enabled and running) into `words`: the
    /// number of words read.
    public var readGroup: @Sendable (_ leader: Int32, _ words: inout [UInt64]) -> Int32
    public var close: @Sendable (Int32) -> Void
    /// Hands the last references of `fds` to a detached process that releases them (and then
    /// unmounts the path, if one is given): true when it could; the caller still closes its
    /// own copies. Releasing many tracepoint events waits an RCU grace period each.
    public var releaseInBackground: @Sendable (_ fds: [Int32], _ unmount: String?) -> Bool

    public init(open: @escaping @Sendable (perf_event_attr, pid_t, Int32) -> Int32,
                enable: @escaping @Sendable (Int32, Bool) -> Int32,
                readGroup: @escaping @Sendable (Int32, inout [UInt64]) -> Int32,
                close: @escaping @Sendable (Int32) -> Void,
                releaseInBackground: @escaping @Sendable ([Int32], String?) -> Bool = { _, _ in false }) {
        self.open = open; self.enable = enable; self.readGroup = readGroup; self.close = close
        self.releaseInBackground = releaseInBackground
    }

    public static let live = PerfEvents(
        open: { attr, task, group in
            var attr = attr
            return sc_perf_open(&attr, task, group)
        },
        enable: { leader, on in sc_perf_group_enable(leader, on ? 1 : 0) },
        readGroup: { leader, words in
            let capacity = Int32(words.count)
            return words.withUnsafeMutableBufferPointer { sc_perf_read_group(leader, $0.baseAddress, capacity) }
        },
        close: { fd in _ = Glibc.close(fd) },
        releaseInBackground: { fds, unmount in
            fds.withUnsafeBufferPointer { sc_release_in_background($0.baseAddress, Int32($0.count), unmount) } == 0
        })
}
