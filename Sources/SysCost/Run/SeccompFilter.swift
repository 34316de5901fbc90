import CSysCost
import Foundation
import SysCostModel
import SysCostStatistics

/// A classic-BPF seccomp filter syscost can install before timing, to show what a
/// container's filter adds to every kernel entry.
///
/// Linux ≥ 5.11 evaluates a filter once per syscall number and caches the verdict when it
/// depends on nothing but the number and architecture (the constant-action bitmap): such a
/// filter costs a constant slow-path entry whatever its length. A filter that reads the
/// arguments runs on every call and costs in proportion to the instructions it executes.
public enum SeccompFilter: Equatable, CustomStringConvertible, Sendable {
    /// Allow everything after loading `args[0]` N − 1 times: runs on every call.
    case argumentReading(instructions: Int)
    /// Allow everything after checking the architecture only: cached per syscall number.
    case cached
    /// An allowlist of syscall numbers with a few argument checks, the shape container
    /// runtimes install (docker's default profile): cached for most calls.
    case dockerLike

    public static let maxInstructions = 4096  // BPF_MAXINSNS

    /// The specs that are names, not numbers.
    public static let namedSpecs = ["cached", "docker-like"]

    /// Parses `--seccomp`: a number of instructions, `cached` or `docker-like`.
    public init(spec: String) throws {
        switch spec {
        case "cached": self = .cached
        case "docker-like": self = .dockerLike
        default:
            guard let n = Int(spec), n >= 2, n <= Self.maxInstructions else {
                throw SysCostError.usage(
                    "--seccomp takes a number of instructions from 2 to \(Self.maxInstructions), 'cached' or 'docker-like' (got '\(spec)')")
            }
            self = .argumentReading(instructions: n)
        }
    }

    public var description: String {
        switch self {
        case .argumentReading(let n): return "\(n)"
        case .cached: return "cached"
        case .dockerLike: return "docker-like"
        }
    }

    public var kind: String {
        switch self {
        case .argumentReading: return "argument-reading"
        case .cached: return "number-only"
        case .dockerLike: return "docker-like"
        }
    }

    // Classic BPF and seccomp constants (linux/bpf_common.h, linux/seccomp.h, linux/audit.h).
    static let ldAbs: UInt16 = 0x20        // BPF_LD | BPF_W | BPF_ABS
    static let jeq: UInt16 = 0x15          // BPF_JMP | BPF_JEQ | BPF_K
    static let jset: UInt16 = 0x45         // BPF_JMP | BPF_JSET | BPF_K
    static let ret: UInt16 = 0x06          // BPF_RET | BPF_K
    static let allow: UInt32 = 0x7fff_0000
    static func retErrno(_ e: Int32) -> UInt32 { 0x0005_0000 | UInt32(e) }
    static let offsetNr: UInt32 = 0, offsetArch: UInt32 = 4, offsetArg0: UInt32 = 16

    static var auditArch: UInt32 {
        #if arch(x86_64)
        return 0xC000_003E
        #else
        return 0xC000_00B7
        #endif
    }

    /// The program, as the kernel will run it.
    public var program: [sock_filter] {
        func stmt(_ code: UInt16, _ k: UInt32) -> sock_filter { sock_filter(code: code, jt: 0, jf: 0, k: k) }
        func jump(_ code: UInt16, _ k: UInt32, _ jt: UInt8, _ jf: UInt8) -> sock_filter {
            sock_filter(code: code, jt: jt, jf: jf, k: k)
        }
        switch self {
        case .argumentReading(let n):
            return Array(repeating: stmt(Self.ldAbs, Self.offsetArg0), count: n - 1) + [stmt(Self.ret, Self.allow)]
        case .cached:
            return [stmt(Self.ldAbs, Self.offsetArch), jump(Self.jeq, Self.auditArch, 0, 1),
                    stmt(Self.ret, Self.allow), stmt(Self.ret, Self.retErrno(EPERM))]
        case .dockerLike:
            var p = [stmt(Self.ldAbs, Self.offsetArch), jump(Self.jeq, Self.auditArch, 1, 0),
                     stmt(Self.ret, Self.retErrno(EPERM)), stmt(Self.ldAbs, Self.offsetNr)]
            // personality: only the few personas docker allows.
            let personas: [UInt32] = [0x0, 0x8, 0x20000, 0x20008, 0xffff_ffff]
            p += [jump(Self.jeq, DockerProfile.personality, 0, UInt8(2 + personas.count * 2)),
                  stmt(Self.ldAbs, Self.offsetArg0)]
            for persona in personas { p += [jump(Self.jeq, persona, 0, 1), stmt(Self.ret, Self.allow)] }
            p += [stmt(Self.ret, Self.retErrno(EPERM))]
            // clone: no new namespaces.
            p += [jump(Self.jeq, DockerProfile.clone, 0, 3), stmt(Self.ldAbs, Self.offsetArg0),
                  jump(Self.jset, DockerProfile.namespaceFlags, 0, 1), stmt(Self.ret, Self.retErrno(EPERM)),
                  stmt(Self.ret, Self.allow)]
            for nr in DockerProfile.allowed { p += [jump(Self.jeq, nr, 0, 1), stmt(Self.ret, Self.allow)] }
            // Numbers past the newest syscall docker knows get ENOSYS, so libc falls back.
            p += [jump(0x35 /* JGE */, DockerProfile.firstUnknown, 0, 1), stmt(Self.ret, Self.retErrno(ENOSYS)),
                  stmt(Self.ret, Self.retErrno(EPERM))]
            return p
        }
    }

    /// Installs the filter on the calling thread (setting no_new_privs first).
    public func install() throws {
        let p = program
        guard p.count <= Self.maxInstructions else {
            throw SysCostError.usage("the \(self) filter has \(p.count) instructions; the kernel takes at most \(Self.maxInstructions)")
        }
        guard p.withUnsafeBufferPointer({ sc_install_seccomp($0.baseAddress, UInt16($0.count)) }) == 0 else {
            throw SysCostError.system("installing the \(self) seccomp filter", errno)
        }
    }
}

extension SeccompSlope {

    static func measure(cpu: Int, longest: Int = SeccompFilter.maxInstructions) throws -> SeccompSlope {
        let short = try probe(.argumentReading(instructions: 2), cpu: cpu)
        let long = try probe(.argumentReading(instructions: longest), cpu: cpu)
        return SeccompSlope(shortInstructions: 2, shortNs: short, longInstructions: longest, longNs: long)
    }

    /// getppid's median ns in a child that installed `filter`.
    static func probe(_ filter: SeccompFilter, cpu: Int, iterations: Int = 20_000, reps: Int = 9) throws -> Double {
        var fds: [Int32] = [-1, -1]
        guard sc_pipe2(&fds, O_CLOEXEC) == 0 else { throw SysCostError.system("pipe2", errno) }
        let program = filter.program
        let pid = program.withUnsafeBufferPointer {
            sc_fork_seccomp_probe($0.baseAddress, UInt16($0.count), Int32(cpu), UInt64(iterations), Int32(reps), fds[1])
        }
        close(fds[1])
        defer { close(fds[0]) }
        guard pid > 0 else { throw SysCostError.system("fork", errno) }
        var samples = [Double](repeating: 0, count: reps)
        let want = reps * MemoryLayout<Double>.size
        var got = 0
        samples.withUnsafeMutableBytes { raw in
            while got < want {
                let n = read(fds[0], raw.baseAddress! + got, want - got)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                got += n
            }
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        guard got == want else {
            throw SysCostError.system("the seccomp probe child (wait status \(status))", EIO)
        }
        return Statistics.median(samples)
    }
}

/// The x86_64 syscall numbers of docker's default seccomp profile.
enum DockerProfile {
    static let personality: UInt32 = 135
    static let clone: UInt32 = 56
    /// CLONE_NEWNS | NEWCGROUP | NEWUTS | NEWIPC | NEWUSER | NEWPID | NEWNET | NEWTIME
    static let namespaceFlags: UInt32 = 0x0002_0000 | 0x0200_0000 | 0x0400_0000 | 0x0800_0000 | 0x1000_0000
        | 0x2000_0000 | 0x4000_0000 | 0x0000_0080
    static let firstUnknown: UInt32 = 463

    /// What docker's profile denies to a container without extra capabilities.
    static let denied: Set<UInt32> = [
        101,  // ptrace
        134, 135,  // uselib, personality (checked above)
        136,  // ustat
        139,  // sysfs
        153, 154,  // vhangup, modify_ldt
        155,  // pivot_root
        156,  // _sysctl
        159, 163, 164,  // adjtimex, acct, settimeofday
        165, 166,  // mount, umount2
        167, 168,  // swapon, swapoff
        169,  // reboot
        172, 173,  // iopl, ioperm
        174, 175, 176, 177, 178, 179, 180,  // create/init/delete_module, get_kernel_syms, query_module, quotactl, nfsservctl
        212,  // lookup_dcookie
        227, 237, 238, 239,  // clock_settime, mbind, set_mempolicy, get_mempolicy
        246, 248, 249, 250,  // kexec_load, add_key, request_key, keyctl
        272,  // unshare
        279,  // move_pages
        298,  // perf_event_open
        303, 304,  // name_to_handle_at, open_by_handle_at
        305,  // clock_adjtime
        308,  // setns
        310, 311, 312,  // process_vm_readv/writev, kcmp
        313,  // finit_module
        320,  // kexec_file_load
        321,  // bpf
        323,  // userfaultfd
        425, 426, 427,  // io_uring_*
        428, 429, 430, 431, 432, 433,  // open_tree, move_mount, fsopen, fsconfig, fsmount, fspick
        442,  // mount_setattr
    ]

    static var allowed: [UInt32] {
        (0..<firstUnknown).filter { !denied.contains($0) && $0 != clone && $0 != personality }
            .filter { !(335...423).contains($0) }  // unassigned on x86_64
    }
}
