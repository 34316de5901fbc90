import CSysCost
import Foundation
import SysCostModel
import SysCostSuites

/// Suite `syscall`: the direct cost of a kernel entry for ~40 system calls across the six
/// categories, each made with the raw instruction (no libc), and a libc variant for a few so
/// the wrapper's cost shows.
struct SyscallSuite: Suite {
    static func bench(
        _ name: String, variant: String = "raw", _ category: Category, syscalls: Int = 1, _ description: String,
        fixture: @escaping @Sendable () throws -> Fixture = { Fixture() },
        loop: sc_loop_fn, check: @escaping @Sendable (Fixture) throws -> Void
    ) -> Benchmark {
        Benchmark(BenchmarkID(.syscall, name, variant), category: category, syscallsPerOp: syscalls,
                  description: description, fixture: fixture, loop: loop, check: check)
    }

    func benchmarks(_ setup: CatalogSetup) -> [Benchmark] { Self.all }

    static let all = processControl + files + devices + information + communication + protection + cancellationPoints

    // MARK: process-control

    static let processControl: [Benchmark] = [
        bench("invalid", .processControl, "an unknown syscall number (ENOSYS): the floor of a kernel entry",
              loop: sc_loop_invalid_raw) { f in
            try Expect.equal(sc_op_invalid_raw(f.ctx), -Int(ENOSYS), "syscall \(SC_INVALID_SYSCALL)")
        },
        bench("getpid", .processControl, "getpid()", loop: sc_loop_getpid_raw) { f in
            try Expect.equal(sc_op_getpid_raw(f.ctx), Int(getpid()), "getpid")
        },
        bench("getppid", .processControl, "getppid(), the null syscall of perf bench syscall basic",
              loop: sc_loop_getppid_raw) { f in
            try Expect.equal(sc_op_getppid_raw(f.ctx), Int(getppid()), "getppid")
        },
        bench("getppid", variant: "libc", .processControl, "getppid() through glibc's wrapper",
              loop: sc_loop_getppid_libc) { f in
            try Expect.equal(sc_op_getppid_libc(f.ctx), sc_op_getppid_raw(f.ctx), "getppid")
        },
        bench("gettid", .processControl, "gettid()", loop: sc_loop_gettid_raw) { f in
            try Expect.equal(sc_op_gettid_raw(f.ctx), sc_gettid(), "tid")
        },
        bench("sched_yield", .processControl, "sched_yield() with nothing else runnable on the CPU",
              loop: sc_loop_sched_yield_raw) { f in
            try Expect.equal(sc_op_sched_yield_raw(f.ctx), Int(sched_yield()), "sched_yield")
        },
        bench("getpriority", .processControl, "getpriority(PRIO_PROCESS, 0); the kernel returns 20 − nice",
              loop: sc_loop_getpriority_raw) { f in
            errno = 0
            let nice = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
            try Expect.equal(sc_op_getpriority_raw(f.ctx), 20 - Int(nice), "getpriority (20 − nice)")
        },
        bench("madvise-fault\(Fixtures.faultPageCount)", .processControl,
              "madvise(MADV_DONTNEED) on \(Fixtures.faultPageCount) anonymous pages, then a write to each: 1 syscall and \(Fixtures.faultPageCount) minor page faults (exception entries) per op",
              fixture: Fixtures.faultPages, loop: sc_loop_madvise_fault_raw) { f in
            let second = f.ctx.pointee.page.advanced(by: 1)
            second.storeBytes(of: 0x5a, as: UInt8.self)
            try Expect.equal(sc_op_madvise_fault_raw(f.ctx), 0, "madvise(MADV_DONTNEED)")
            try Expect.equal(second.load(as: UInt8.self), 0, "a byte of a dropped page, read after the refault")
        },
    ]

    // MARK: file-management

    static let files: [Benchmark] = [
        bench("read", .fileManagement, "read 1 byte from /dev/zero",
              fixture: { try Fixtures.openDevice("/dev/zero", O_RDONLY) }, loop: sc_loop_read_raw) { f in
            try Expect.equal(sc_op_read_raw(f.ctx), read(f.fd0, f.ctx.pointee.buf, 1), "read 1 byte")
        },
        bench("write", .fileManagement, "write 1 byte to /dev/null",
              fixture: { try Fixtures.openDevice("/dev/null", O_WRONLY) }, loop: sc_loop_write_raw) { f in
            try Expect.equal(sc_op_write_raw(f.ctx), write(f.fd0, f.ctx.pointee.buf, 1), "write 1 byte")
        },
        bench("pread", .fileManagement, "pread 1 byte at offset 0 of a page-cached file",
              fixture: Fixtures.cachedFile, loop: sc_loop_pread_raw) { f in
            try Expect.equal(sc_op_pread_raw(f.ctx), pread(f.fd0, f.ctx.pointee.buf, 1, 0), "pread")
            try Expect.equal(f.ctx.pointee.buf.load(as: UInt8.self), 0x5a, "byte read")
        },
        bench("lseek", .fileManagement, "lseek(fd, 0, SEEK_SET) on a regular file",
              fixture: Fixtures.cachedFile, loop: sc_loop_lseek_raw) { f in
            try Expect.equal(sc_op_lseek_raw(f.ctx), Int(lseek(f.fd0, 0, SEEK_SET)), "lseek")
        },
        bench("fstat", .fileManagement, "fstat of an open regular file",
              fixture: Fixtures.cachedFile, loop: sc_loop_fstat_raw) { f in
            try Expect.equal(sc_op_fstat_raw(f.ctx), 0, "fstat return")
            var st = stat()
            try Expect.equal(fstat(f.fd0, &st), 0, "libc fstat")
            try Expect.equal(f.ctx.pointee.buf.load(as: stat.self).st_ino, st.st_ino, "st_ino")
        },
        bench("stat", .fileManagement, "stat (newfstatat) of a cached path",
              fixture: Fixtures.cachedFile, loop: sc_loop_stat_raw) { f in
            try Expect.equal(sc_op_stat_raw(f.ctx), 0, "stat return")
            var st = stat()
            try Expect.equal(stat(f.ctx.pointee.path, &st), 0, "libc stat")
            let raw = f.ctx.pointee.buf.load(as: stat.self)
            try Expect.equal(raw.st_ino, st.st_ino, "st_ino")
            try Expect.equal(raw.st_size, 4096, "st_size")
        },
        bench("openat-close", .fileManagement, syscalls: 2, "openat a cached path read-only, then close it",
              fixture: Fixtures.cachedFile, loop: sc_loop_openat_close_raw) { f in
            // Both take the lowest free descriptor, so they must agree on the number.
            try Expect.sameDescriptor({
                let fd = open(f.ctx.pointee.path, O_RDONLY | O_CLOEXEC)
                close(fd)
                return (sc_op_openat_close_raw(f.ctx), Int(fd))
            }, "descriptor opened")
        },
        bench("dup-close", .fileManagement, syscalls: 2, "dup a descriptor, then close the copy",
              fixture: Fixtures.cachedFile, loop: sc_loop_dup_close_raw) { f in
            try Expect.sameDescriptor({
                let fd = dup(f.fd0)
                close(fd)
                return (sc_op_dup_close_raw(f.ctx), Int(fd))
            }, "descriptor duplicated")
        },
        bench("fcntl-getfl", .fileManagement, "fcntl(fd, F_GETFL)",
              fixture: Fixtures.cachedFile, loop: sc_loop_fcntl_getfl_raw) { f in
            try Expect.equal(sc_op_fcntl_getfl_raw(f.ctx), Int(fcntl(f.fd0, F_GETFL)), "F_GETFL flags")
        },
        bench("access", .fileManagement, "access(path, R_OK) of a cached path",
              fixture: Fixtures.cachedFile, loop: sc_loop_access_raw) { f in
            try Expect.equal(sc_op_access_raw(f.ctx), Int(access(f.ctx.pointee.path, R_OK)), "access")
        },
        bench("getcwd", .fileManagement, "getcwd into a 512-byte buffer",
              fixture: { Fixtures.scratch(512) }, loop: sc_loop_getcwd_raw) { f in
            let length = sc_op_getcwd_raw(f.ctx)
            let raw = String(cString: f.ctx.pointee.buf.assumingMemoryBound(to: CChar.self))
            let libc = FileManager.default.currentDirectoryPath
            try Expect.equal(raw, libc, "working directory")
            try Expect.equal(length, raw.utf8.count + 1, "length with NUL")
        },
    ]

    // MARK: device-management

    static let devices: [Benchmark] = [
        bench("ioctl-fionread", .deviceManagement, "ioctl(FIONREAD) on an empty pipe",
              fixture: Fixtures.pipe, loop: sc_loop_ioctl_fionread_raw) { f in
            var pending: Int32 = -1
            let libc = ioctl(f.fd0, UInt(FIONREAD), &pending)
            try Expect.equal(sc_op_ioctl_fionread_raw(f.ctx), Int(libc), "ioctl return")
            try Expect.equal(f.ctx.pointee.buf.load(as: Int32.self), pending, "bytes pending")
        },
        bench("ioctl-tcgets", .deviceManagement, "ioctl(TCGETS) on /dev/null: the ENOTTY path",
              fixture: { try Fixtures.openDevice("/dev/null", O_RDONLY) }, loop: sc_loop_ioctl_tcgets_raw) { f in
            var t = termios()
            let libc = tcgetattr(f.fd0, &t)
            try Expect.sameResult(sc_op_ioctl_tcgets_raw(f.ctx), libc: Int(libc), errno: errno, "TCGETS")
        },
        bench("getrandom", .deviceManagement, "getrandom 1 byte",
              fixture: { Fixtures.scratch(64) }, loop: sc_loop_getrandom_raw) { f in
            var byte: UInt8 = 0
            try Expect.equal(sc_op_getrandom_raw(f.ctx), getrandom(&byte, 1, 0), "bytes returned")
        },
    ]

    // MARK: information-maintenance

    static let information: [Benchmark] = [
        bench("uname", .informationMaintenance, "uname", fixture: { Fixtures.scratch(512) },
              loop: sc_loop_uname_raw) { f in
            try Expect.equal(sc_op_uname_raw(f.ctx), 0, "uname return")
            var u = utsname()
            uname(&u)
            let raw = f.ctx.pointee.buf.load(as: utsname.self)
            try Expect.equal(withUnsafeBytes(of: raw.release) { Array($0) },
                             withUnsafeBytes(of: u.release) { Array($0) }, "release")
        },
        bench("getrusage", .informationMaintenance, "getrusage(RUSAGE_SELF)", fixture: { Fixtures.scratch(512) },
              loop: sc_loop_getrusage_raw) { f in
            var ru = rusage()
            try Expect.equal(sc_op_getrusage_raw(f.ctx), Int(getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &ru)), "getrusage")
            try Expect.that(f.ctx.pointee.buf.load(as: rusage.self).ru_maxrss > 0, "raw ru_maxrss is 0")
        },
        bench("sysinfo", .informationMaintenance, "sysinfo", fixture: { Fixtures.scratch(512) },
              loop: sc_loop_sysinfo_raw) { f in
            var info = sysinfo()
            try Expect.equal(sc_op_sysinfo_raw(f.ctx), Int(sc_sysinfo(&info)), "sysinfo")
            try Expect.equal(f.ctx.pointee.buf.load(as: sysinfo.self).totalram, info.totalram, "totalram")
        },
        bench("times", .informationMaintenance, "times", fixture: { Fixtures.scratch(512) },
              loop: sc_loop_times_raw) { f in
            var t = tms()
            let libc = times(&t)
            let raw = sc_op_times_raw(f.ctx)
            try Expect.that(abs(raw - Int(libc)) < 100, "times: raw \(raw) ticks, libc \(libc)")
        },
        bench("getrlimit", .informationMaintenance, "getrlimit(RLIMIT_NOFILE)", fixture: { Fixtures.scratch(64) },
              loop: sc_loop_getrlimit_raw) { f in
            var rl = rlimit()
            try Expect.equal(sc_op_getrlimit_raw(f.ctx), Int(getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &rl)), "getrlimit")
            try Expect.equal(f.ctx.pointee.buf.load(as: rlimit.self).rlim_cur, rl.rlim_cur, "rlim_cur")
        },
        bench("clock_gettime", .informationMaintenance,
              "clock_gettime(CLOCK_MONOTONIC) forced into the kernel (no vDSO)", fixture: { Fixtures.clock(CLOCK_MONOTONIC) },
              loop: sc_loop_clock_gettime_raw) { f in try checkMonotonic(f, op: sc_op_clock_gettime_raw) },
        bench("clock_gettime", variant: "libc", .informationMaintenance,
              "clock_gettime(CLOCK_MONOTONIC) through glibc's syscall()", fixture: { Fixtures.clock(CLOCK_MONOTONIC) },
              loop: sc_loop_clock_gettime_libc) { f in try checkMonotonic(f, op: sc_op_clock_gettime_libc) },
        bench("gettimeofday", .informationMaintenance, "gettimeofday forced into the kernel (no vDSO)",
              fixture: { Fixtures.scratch(64) }, loop: sc_loop_gettimeofday_raw) { f in
            var tv = timeval()
            gettimeofday(&tv, nil)
            try Expect.equal(sc_op_gettimeofday_raw(f.ctx), 0, "gettimeofday return")
            let raw = f.ctx.pointee.buf.load(as: timeval.self)
            try Expect.that(abs(raw.tv_sec - tv.tv_sec) <= 1, "gettimeofday: raw \(raw.tv_sec) s, libc \(tv.tv_sec) s")
        },
        bench("getcpu", .informationMaintenance, "getcpu forced into the kernel (no vDSO)",
              fixture: { Fixtures.scratch(64) }, loop: sc_loop_getcpu_raw) { f in
            let libc = sc_sched_getcpu()
            try Expect.equal(sc_op_getcpu_raw(f.ctx), 0, "getcpu return")
            try Expect.equal(Int32(f.ctx.pointee.buf.load(as: UInt32.self)), libc, "cpu")
        },
    ]

    private static func checkMonotonic(_ f: Fixture, op: (UnsafeMutablePointer<sc_ctx>) -> Int) throws {
        var before = timespec()
        clock_gettime(CLOCK_MONOTONIC, &before)
        try Expect.equal(op(f.ctx), 0, "clock_gettime return")
        var after = timespec()
        clock_gettime(CLOCK_MONOTONIC, &after)
        let raw = f.ctx.pointee.buf.load(as: timespec.self)
        func ns(_ t: timespec) -> Int { t.tv_sec * 1_000_000_000 + t.tv_nsec }
        try Expect.that(ns(before) <= ns(raw) && ns(raw) <= ns(after),
                        "CLOCK_MONOTONIC from the kernel (\(ns(raw))) is outside libc's [\(ns(before)), \(ns(after))]")
    }

    // MARK: communication

    static let communication: [Benchmark] = [
        bench("pipe-write-read", .communication, syscalls: 2, "write 1 byte into a pipe and read it back",
              fixture: Fixtures.pipe, loop: sc_loop_pipe_write_read_raw) { f in
            try Expect.equal(sc_op_pipe_write_read_raw(f.ctx), 1, "bytes read back")
            var byte: UInt8 = 7
            try Expect.equal(write(f.fd1, &byte, 1), 1, "libc write")
            try Expect.equal(read(f.fd0, &byte, 1), 1, "libc read")
        },
        bench("eventfd-write-read", .communication, syscalls: 2, "add 1 to an eventfd and read it back",
              fixture: Fixtures.eventfd, loop: sc_loop_eventfd_write_read_raw) { f in
            try Expect.equal(sc_op_eventfd_write_read_raw(f.ctx), 8, "bytes read back")
            try Expect.equal(f.ctx.pointee.buf.load(as: UInt64.self), 1, "counter value")
            var value: eventfd_t = 0
            eventfd_write(f.fd0, 1)
            try Expect.equal(eventfd_read(f.fd0, &value), 0, "libc eventfd_read")
            try Expect.equal(value, 1, "libc counter value")
        },
        bench("socketpair-send-recv", .communication, syscalls: 2, "send 1 byte over an AF_UNIX stream pair and receive it",
              fixture: Fixtures.socketPair, loop: sc_loop_socketpair_send_recv_raw) { f in
            try Expect.equal(sc_op_socketpair_send_recv_raw(f.ctx), 1, "bytes received")
            var byte: UInt8 = 7
            try Expect.equal(send(f.fd1, &byte, 1, 0), 1, "libc send")
            try Expect.equal(recv(f.fd0, &byte, 1, 0), 1, "libc recv")
        },
        bench("futex-wake", .communication, "FUTEX_WAKE on a word nobody waits on (wakes 0)",
              loop: sc_loop_futex_wake_raw) { f in
            try Expect.equal(sc_op_futex_wake_raw(f.ctx), 0, "tasks woken")
        },
        bench("poll", .communication, "poll one empty pipe with a zero timeout",
              fixture: Fixtures.pipe, loop: sc_loop_poll_raw) { f in
            var pfd = pollfd(fd: f.fd0, events: Int16(POLLIN), revents: 0)
            try Expect.equal(sc_op_poll_raw(f.ctx), Int(poll(&pfd, 1, 0)), "ready descriptors")
        },
        bench("epoll_wait", .communication, "epoll_wait on an empty pipe with a zero timeout",
              fixture: Fixtures.epoll, loop: sc_loop_epoll_wait_raw) { f in
            var ev = epoll_event()
            try Expect.equal(sc_op_epoll_wait_raw(f.ctx), Int(epoll_wait(f.fd2, &ev, 1, 0)), "ready events")
        },
        bench("kill", .communication, "kill(self, 0): a permission check, no signal sent",
              fixture: { let f = Fixture(); f.ctx.pointee.arg.0 = Int(getpid()); return f },
              loop: sc_loop_kill_self_raw) { f in
            try Expect.equal(sc_op_kill_self_raw(f.ctx), Int(kill(getpid(), 0)), "kill(self, 0)")
        },
    ]

    // MARK: protection

    static let protection: [Benchmark] = [
        bench("getuid", .protection, "getuid", loop: sc_loop_getuid_raw) { f in
            try Expect.equal(sc_op_getuid_raw(f.ctx), Int(getuid()), "uid")
        },
        bench("geteuid", .protection, "geteuid", loop: sc_loop_geteuid_raw) { f in
            try Expect.equal(sc_op_geteuid_raw(f.ctx), Int(geteuid()), "euid")
        },
        bench("umask", .protection, "umask set to its current value (no change)",
              fixture: {
                  let f = Fixture()
                  let current = umask(0o022)
                  umask(current)
                  f.ctx.pointee.arg.0 = Int(current)
                  return f
              }, loop: sc_loop_umask_raw) { f in
            let current = umask(mode_t(f.ctx.pointee.arg.0))
            try Expect.equal(sc_op_umask_raw(f.ctx), Int(current), "previous mask")
        },
        bench("capget", .protection, "capget of this process (capability set v3)",
              fixture: {
                  let f = Fixture()
                  let header = f.buffer(8)
                  header.storeBytes(of: UInt32(0x2008_0522), as: UInt32.self)  // _LINUX_CAPABILITY_VERSION_3
                  header.storeBytes(of: Int32(0), toByteOffset: 4, as: Int32.self)
                  f.ctx.pointee.buf = header
                  f.ctx.pointee.aux = f.buffer(24)
                  return f
              }, loop: sc_loop_capget_raw) { f in
            try Expect.equal(sc_op_capget_raw(f.ctx), 0, "capget return")
            let data = f.ctx.pointee.aux!
            let effective = UInt64(data.load(fromByteOffset: 0, as: UInt32.self))
                | UInt64(data.load(fromByteOffset: 12, as: UInt32.self)) << 32
            let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
            let line = status.split(separator: "\n").first { $0.hasPrefix("CapEff:") }
            let proc = line.flatMap { UInt64($0.dropFirst(7).trimmingCharacters(in: .whitespaces), radix: 16) }
            try Expect.equal(effective, proc ?? 0, "effective capabilities (vs /proc/self/status)")
        },
        bench("rt_sigprocmask", .protection, "rt_sigprocmask reading the signal mask",
              fixture: { Fixtures.scratch(128) }, loop: sc_loop_rt_sigprocmask_raw) { f in
            var set = sigset_t()
            try Expect.equal(sc_op_rt_sigprocmask_raw(f.ctx), Int(pthread_sigmask(SIG_BLOCK, nil, &set)), "return")
            let libcWord = withUnsafeBytes(of: set) { $0.load(as: UInt64.self) }
            try Expect.equal(f.ctx.pointee.buf.load(as: UInt64.self), libcWord, "signal mask")
        },
        bench("mprotect", .protection, syscalls: 2, "mprotect one page read-only, then read-write again",
              fixture: Fixtures.page, loop: sc_loop_mprotect_toggle_raw) { f in
            try Expect.equal(sc_op_mprotect_toggle_raw(f.ctx), Int(mprotect(f.ctx.pointee.page, 4096, PROT_READ | PROT_WRITE)), "mprotect")
            f.ctx.pointee.page.storeBytes(of: 1, as: UInt8.self)  // writable again
        },
    ]
}
