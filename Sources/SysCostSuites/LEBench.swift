import SysCostModel

/// LEBench (SOSP '19; LinuxPerfStudy/LEBench, TEST_DIR/OS_Eval.c), test by test: the syscost
/// ids that measure what each test measures, and how the two methods differ. The README's table,
/// `syscost list --lebench`, `run --preset lebench` and `scripts/anchors.sh` all read this one.
public enum LEBench {
    public struct Test: Sendable {
        /// The test's name as OS_Eval prints it ("small write", "fork"); a two-line test's
        /// child figure is "<name> child".
        public let name: String
        /// The syscost ids that measure it (empty: not a kernel operation).
        public let ids: [BenchmarkID]
        /// How syscost's figure relates to LEBench's (per what, and where the methods differ).
        public let note: String
        /// syscost's figure × this = LEBench's unit (a round trip is two switches).
        public let scale: Double

        init(_ name: String, _ ids: [BenchmarkID], _ note: String, scale: Double = 1) {
            self.name = name; self.ids = ids; self.note = note; self.scale = scale
        }
    }

    private static let sizeNames = ["small", "mid", "big", "huge"]

    public static let tests: [Test] = {
        var tests: [Test] = [
            Test("ref", [], "two clock_gettime calls back to back: LEBench's timer overhead, in every one of its samples; syscost times batches"),
            Test("cpu", [], "a CPU-bound loop, LEBench's check of the machine; syscost's host canary (in every report) plays that part"),
            Test("getpid", [SyscallDescriptor.getpid], "LEBench calls glibc's syscall(SYS_getpid), one call between two clock reads"),
            Test("context siwtch", [CtxSwitchDescriptor.pipeLibcProcess],
                 "a round trip of two processes over two pipes through glibc's read/write, pinned to one CPU: syscost's figure is per switch, LEBench's per round trip", scale: 2),
            Test("send", [SyscallDescriptor.socketpairSendRecv], "1 byte over AF_UNIX: LEBench times send in one process and recv in another; syscost times send and recv together in one task"),
            Test("recv", [SyscallDescriptor.socketpairSendRecv], "as send"),
            Test("big send", [IODescriptor.sendRecvBig], "96,000 bytes over AF_UNIX; syscost times send and recv together in one task"),
            Test("big recv", [IODescriptor.sendRecvBig], "as big send"),
            Test("fork", [LifecycleDescriptor.fork(LifecycleDescriptor.parent)], "the parent's return from fork; LEBench calls glibc's fork (atfork handlers), syscost the kernel's clone, in a small process"),
            Test("fork child", [LifecycleDescriptor.fork(LifecycleDescriptor.child)], "from the call to the child's first instruction"),
            Test("thr create", [LifecycleDescriptor.pthreadCreate(LifecycleDescriptor.parent)], "pthread_create's return"),
            Test("thr create child", [LifecycleDescriptor.pthreadCreate(LifecycleDescriptor.child)], "from pthread_create to the start routine's first instruction"),
            Test("big fork", [LifecycleDescriptor.fork(LifecycleDescriptor.parent, memory: LifecycleDescriptor.bigForkSizes[0])],
                 "LEBench's process holds 6,000 one-page shared mappings it never touched; syscost's holds 64 MiB of touched anonymous pages"),
            Test("huge fork", [LifecycleDescriptor.fork(LifecycleDescriptor.parent, memory: LifecycleDescriptor.bigForkSizes[1])],
                 "LEBench: 12,000 untouched one-page mappings; syscost: 1 GiB of touched anonymous pages (not in the default matrix: --preset lebench)"),
        ]
        for (size, name) in zip(MemoryDescriptor.sizes, sizeNames) {
            tests += [
                Test("\(name) write", [IODescriptor.write(size)], "LEBench writes a disk file's page cache with write after open; syscost pwrites a tmpfs file"),
                Test("\(name) read", [IODescriptor.read(size)], "LEBench reads a disk file's page cache with read after open; syscost preads a tmpfs file"),
                Test("\(name) mmap", [MemoryDescriptor.mmapFile(size)], "mmap of the file, read-only, private"),
                Test("\(name) munmap", [MemoryDescriptor.munmapFile(size)], "munmap of a private writable mapping of the file, every page written first"),
                Test("\(name) page fault", [MemoryDescriptor.faultFile(size)], "one read fault on a fresh file mapping (fault-around maps up to 16 pages): LEBench takes one per mapping, syscost one per 64 KiB of it"),
            ]
        }
        for (count, suffix) in zip(IODescriptor.descriptorCounts, ["", " big"]) {
            for call in ["select", "poll", "epoll"] {
                tests.append(Test("\(call)\(suffix)", [IODescriptor.waiting(call == "epoll" ? "epoll_wait" : call, count, ready: true)],
                                  "\(count) descriptors, all ready: LEBench's are unconnected TCP sockets (hung up), syscost's eventfds holding a count"))
            }
        }
        return tests
    }()

    /// Every id LEBench's tests map to, once, in the tests' order.
    public static var ids: [BenchmarkID] {
        var seen = Set<BenchmarkID>()
        return tests.flatMap(\.ids).filter { seen.insert($0).inserted }
    }

    /// The LEBench tests an id measures.
    public static func tests(measuredBy id: BenchmarkID) -> [String] { tests.filter { $0.ids.contains(id) }.map(\.name) }
}
