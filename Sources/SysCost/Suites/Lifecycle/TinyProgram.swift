import CSysCost
import Foundation
import SysCostModel

/// The smallest static program: an x86-64 ELF of one loadable segment whose three
/// instructions exit with `exitCode`, 132 bytes, no libc, no dynamic loader. fork+exec and
/// posix_spawn run it, so what they cost is the kernel's work to make and replace a process,
/// not a program's start-up. It lives in a memfd (no file system, so a `noexec` /tmp cannot
/// stop it) and is executed by its /proc/self/fd path.
final class TinyProgram {
    static let exitCode: Int32 = 42
    let path: String
    private let fd: Int32

    /// The program's bytes: the ELF header, its program header, then
    /// `mov edi, exitCode; mov eax, SYS_exit_group; syscall`.
    static var image: [UInt8] {
        let base: UInt64 = 0x40_0000, headers = 64 + 56
        let code: [UInt8] = [0xbf] + le(UInt32(exitCode)) + [0xb8] + le(UInt32(231)) + [0x0f, 0x05]
        let size = UInt64(headers + code.count)
        var elf: [UInt8] = [0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0] + [UInt8](repeating: 0, count: 8)
        elf += le(UInt16(2)) + le(UInt16(0x3e)) + le(UInt32(1))             // ET_EXEC, x86-64, version 1
        elf += le(base + UInt64(headers)) + le(UInt64(64)) + le(UInt64(0))    // entry, program headers, no sections
        elf += le(UInt32(0)) + le(UInt16(64)) + le(UInt16(56)) + le(UInt16(1)) + le(UInt16(0)) + le(UInt16(0)) + le(UInt16(0))
        elf += le(UInt32(1)) + le(UInt32(5)) + le(UInt64(0)) + le(base) + le(base)  // PT_LOAD, R+X, whole file at base
        elf += le(size) + le(size) + le(UInt64(0x1000))
        return elf + code
    }

    private static func le<T: FixedWidthInteger>(_ value: T) -> [UInt8] { withUnsafeBytes(of: value.littleEndian) { Array($0) } }

    init() throws {
        #if !arch(x86_64)
        throw Skip("the tiny program is x86-64 code")
        #endif
        let fd = sc_memfd_exec("syscost-exit42")
        guard fd >= 0 else { throw SysCostError.system("memfd_create for the tiny program", errno) }
        let image = Self.image
        guard image.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) == image.count else {
            let code = errno
            close(fd)
            throw SysCostError.system("writing the tiny program", code)
        }
        self.fd = fd
        path = "/proc/self/fd/\(fd)"
    }

    deinit { close(fd) }

    /// Points `ctx` at the program: `path`, argv (arg[0]) and an empty envp (arg[1]), owned by `f`.
    func load(into f: Fixture) {
        f.onDeinit { withExtendedLifetime(self) {} }
        let path = f.cString(path)
        let argv = UnsafeMutablePointer<UnsafePointer<CChar>?>.allocate(capacity: 3)
        argv[0] = path; argv[1] = nil; argv[2] = nil
        f.onDeinit { argv.deallocate() }
        f.ctx.pointee.path = path
        f.ctx.pointee.arg.0 = Int(bitPattern: argv)
        f.ctx.pointee.arg.1 = Int(bitPattern: argv + 2)
    }
}
