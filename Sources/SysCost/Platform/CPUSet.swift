import CSysCost
import Foundation
import SysCostModel

/// The CPUs this process may run on, and pinning the calling thread to one of them.
public enum CPUSet {
    /// The allowed CPUs (sched_getaffinity), ascending.
    public static func allowed() -> [Int] {
        var mask = [UInt8](repeating: 0, count: 128)  // 1024 CPUs, glibc's cpu_set_t
        guard sc_getaffinity(&mask, mask.count) == 0 else { return [] }
        return (0..<mask.count * 8).filter { mask[$0 / 8] & (1 << ($0 % 8)) != 0 }
    }

    /// Pins the calling thread to `cpu`; a CPU outside the allowed set is a usage error.
    public static func pin(to cpu: Int) throws {
        let allowed = allowed()
        guard allowed.contains(cpu) else {
            throw SysCostError.usage("CPU \(cpu) is not in this process's allowed set; allowed CPUs: \(describe(allowed))")
        }
        guard sc_setaffinity_one(0, Int32(cpu)) == 0 else {
            throw SysCostError.system("pinning to CPU \(cpu)", errno)
        }
    }

    /// Runs `body` with the calling thread pinned to `cpu`, then restores its previous mask.
    public static func withPinned<T>(to cpu: Int, _ body: () throws -> T) throws -> T {
        var saved = [UInt8](repeating: 0, count: 128)
        guard sc_getaffinity(&saved, saved.count) == 0 else { throw SysCostError.system("sched_getaffinity", errno) }
        try pin(to: cpu)
        defer { _ = sc_setaffinity(saved, saved.count) }
        return try body()
    }

    /// `0-3,6` style list.
    public static func describe(_ cpus: [Int]) -> String {
        var ranges: [String] = []
        var i = 0
        while i < cpus.count {
            var j = i
            while j + 1 < cpus.count && cpus[j + 1] == cpus[j] + 1 { j += 1 }
            ranges.append(i == j ? "\(cpus[i])" : "\(cpus[i])-\(cpus[j])")
            i = j + 1
        }
        return ranges.joined(separator: ",")
    }
}
