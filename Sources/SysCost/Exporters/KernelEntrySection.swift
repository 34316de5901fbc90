import Foundation

/// "What the kernel entry costs": the figures that answer question 1 in a few lines, from
/// whatever results a report holds.
enum KernelEntrySection {
    static let title = "What the kernel entry costs"

    static func lines(for report: RunReport) -> [String] {
        let byId = Dictionary(report.results.compactMap { r in r.summary.map { (r.id, $0.median) } },
                              uniquingKeysWith: { a, _ in a })
        var lines: [String] = []
        if let floor = byId["syscall/invalid/raw"] {
            lines.append("ENOSYS floor (an unknown syscall: entry and exit only): \(Format.ns(floor)) ns")
        }
        if let raw = byId["syscall/getppid/raw"] {
            var line = "null syscall getppid: raw \(Format.ns(raw)) ns"
            if let libc = byId["syscall/getppid/libc"] {
                line += ", through glibc \(Format.ns(libc)) ns (the wrapper adds \(Format.ns(libc - raw)) ns)"
            }
            lines.append(line)
        }
        let calls = report.results.filter { $0.suite == "vdso" && $0.id.hasSuffix("/vdso") }
        for r in calls {
            let stem = String(r.id.dropLast("/vdso".count))
            guard let vdso = byId[r.id], let syscall = byId[stem + "/syscall"] else { continue }
            let name = stem.dropFirst("vdso/".count)
            lines.append("vDSO \(name): \(Format.ns(vdso)) ns vs \(Format.ns(syscall)) ns as a syscall "
                         + String(format: "(%.1f× cheaper)", syscall / max(vdso, 0.01)))
        }
        if let s = report.environment.seccomp.installed {
            var line = "seccomp \(s.spec) (\(s.kind), \(s.instructions) instructions): getppid "
                + "\(Format.ns(s.getppidBeforeNs)) → \(Format.ns(s.getppidAfterNs)) ns, +\(Format.ns(s.costPerCallNs)) ns per call"
            if let slope = s.costPerInstructionNs { line += String(format: ", %.3f ns per filter instruction", slope) }
            lines.append(line)
        }
        return lines
    }
}
