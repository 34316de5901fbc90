import Foundation
@testable import SysCostModel
@testable import SysCost
import Testing
import SysCostTestSupport

/// Issue 28's fault injection: every writer (run, report, compare, history, baseline, watch)
/// against a destination on /dev/full, on a filled 64 KiB tmpfs (mounted here, unmounted in every
/// case), in a read-only folder, under a "folder" that is a file, on a FIFO no one reads, and
/// killed at a random moment. Each gives the documented exit — 2 when the destination is
/// refused before any work, 3 when the write fails after it, with the fallback file named —
/// and no partial file is ever left under a final name.
/// Mounting the tmpfs needs root, as syscost's measuring does; the README's test command runs
/// as root.
@Suite(.serialized, .enabled(if: geteuid() == 0, "mounting a tmpfs needs root")) struct FaultInjectionTests {
    static let reports = FuzzTests.reports

    /// Where a writer puts what it makes.
    enum Destination { case file, folder, stdout }

    struct Writer: CustomStringConvertible, Sendable {
        var name: String
        var destination: Destination
        /// Its arguments, writing to `target` (a file, a folder, or nothing for stdout), with
        /// `scratch` a folder of its own for what it also needs.
        var arguments: @Sendable (_ target: String, _ scratch: String) -> [String]
        /// Whether what it writes is a run report (checked to load whole).
        var report = false
        /// The file name it writes, for a file writer.
        var file = "out.json"
        var description: String { name }

        /// Whether `path`, under a final name, is whole: a report loads, JSON parses, HTML
        /// and a .prom end as they must.
        func isWhole(_ path: String) -> Bool {
            let data = (try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data()
            switch (path as NSString).pathExtension {
            case "json" where report || (path as NSString).lastPathComponent == "fi.json": return (try? ReportLoader.load(path)) != nil
            case "json": return (try? JSONSerialization.jsonObject(with: data)) != nil
            case "html": return String(decoding: data, as: UTF8.self).contains("</html>")
            case "prom": return String(decoding: data, as: UTF8.self).hasSuffix("\n")
            default: return true
            }
        }
    }

    static let quick = ["syscall/invalid/raw", "--quick", "--warmup", "0"]

    static let writers: [Writer] = [
        Writer(name: "run --output", destination: .file, arguments: { t, _ in ["run"] + quick + ["--output", t, "--format", "json"] }, report: true),
        Writer(name: "run (stdout)", destination: .stdout, arguments: { _, _ in ["run"] + quick + ["--format", "json"] }, report: true),
        Writer(name: "run --save", destination: .folder, arguments: { t, _ in ["run"] + quick + ["--save", "--results-dir", t] }, report: true),
        Writer(name: "report --output", destination: .file, arguments: { t, _ in ["report", reports[0], "--format", "json", "--output", t] }, report: true),
        Writer(name: "report --html", destination: .file, arguments: { t, _ in ["report", reports[0], "--html", t] }, file: "out.html"),
        Writer(name: "report (stdout)", destination: .stdout, arguments: { _, _ in ["report", reports[0], "--format", "google-benchmark"] }),
        Writer(name: "compare (stdout)", destination: .stdout, arguments: { _, _ in ["compare", reports[0], reports[1], "--format", "json"] }),
        Writer(name: "history --output", destination: .file, arguments: { t, _ in ["history", reports[0], reports[1], "--format", "json", "--output", t] }),
        Writer(name: "baseline save", destination: .folder, arguments: { t, _ in ["baseline", "save", "fi", reports[0], reports[1], "--dir", t] }, report: true),
        Writer(name: "baseline check (stdout)", destination: .stdout,
               arguments: { _, s in ["baseline", "check", "fi", reports[1], "--dir", s, "--format", "markdown"] }),
        Writer(name: "watch --state-dir", destination: .folder,
               arguments: { t, s in ["watch"] + quick + ["--state-dir", t, "--textfile-dir", s, "--no-confirm"] }, report: true),
        Writer(name: "watch --textfile-dir", destination: .folder,
               arguments: { t, s in ["watch"] + quick + ["--state-dir", s, "--textfile-dir", t, "--no-confirm"] }),
    ]

    /// A folder of its own, holding a baseline `fi` for `baseline check`.
    static func scratch() throws -> String {
        let dir = try TempFolder("fault").path
        try FileManager.default.copyItem(atPath: reports[0], toPath: "\(dir)/fi.json")
        return dir
    }

    /// A 64 KiB tmpfs mounted for `body`, and unmounted after it whatever happens.
    static func withTmpfs<T>(readOnly: Bool = false, fill: Bool = true, _ body: (String) throws -> T) throws -> T {
        let point = try TempFolder("tmpfs").path
        defer { rmdir(point) }
        let mounted = try Spawned.run(["-t", "tmpfs", "-o", "size=64k,mode=0755", "tmpfs", point], executable: "/usr/bin/mount")
        guard mounted.status == 0 else { throw CheckFailure("mount: \(mounted.stderr)") }
        defer {
            if (try? Spawned.run([point], executable: "/usr/bin/umount"))?.status != 0 {
                _ = try? Spawned.run(["-l", point], executable: "/usr/bin/umount")
            }
        }
        try FileManager.default.createDirectory(atPath: "\(point)/d", withIntermediateDirectories: false)
        // Every page taken (a new, empty file still fits: tmpfs counts inodes apart), so the
        // first byte any writer writes there fails with ENOSPC.
        if fill {
            let fd = open("\(point)/filler", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            guard fd >= 0 else { throw CheckFailure("could not fill \(point): \(errno)") }
            let page = [UInt8](repeating: 0, count: 4096)
            while write(fd, page, page.count) > 0 {}
            close(fd)
        }
        if readOnly {
            let remounted = try Spawned.run(["-o", "remount,ro", point], executable: "/usr/bin/mount")
            guard remounted.status == 0 else { throw CheckFailure("remount: \(remounted.stderr)") }
        }
        return try body(point)
    }

    /// Runs `writer` at `target` (stdout to `stdout`), expecting `status`; then checks that the
    /// fallback files it names hold the whole output, and that no partial file is left under a
    /// final name in `look` (every *.json there must load, no temporary file is left).
    static func expect(_ writer: Writer, target: String, stdout: String = "/dev/null", status expected: Int32, look: [String],
                       scratch: String) throws {
        let r = try Spawned.run(writer.arguments(target, scratch), stdout: stdout, limit: 120)
        #expect(r.exitedNormally && r.status == expected, "\(writer) at \(target): \(r.status.map { "exit \($0)" } ?? "signal \(r.signal ?? 0)") \(r.stderr.suffix(400))")
        let fallbacks = CLI.fallbacks(in: r.stderr)
        defer { for f in fallbacks { unlink(f) } }
        if expected == 3 {
            #expect(!fallbacks.isEmpty, "\(writer): exit 3 names its fallback: \(r.stderr.suffix(300))")
            for f in fallbacks where writer.report && f.hasSuffix(".json") {
                #expect((try? ReportLoader.load(f)) != nil, "\(writer): the fallback \(f) is a whole report")
            }
        }
        for dir in look { try Self.noPartialFile(in: dir, writer: writer) }
    }

    /// Every file under `dir` is whole; with `temporaries` false, no temporary file is left.
    static func noPartialFile(in dir: String, writer: Writer, temporaries: Bool = false) throws {
        for file in FileManager.default.enumerator(atPath: dir)?.compactMap({ $0 as? String }) ?? [] {
            let path = (dir as NSString).appendingPathComponent(file), name = (file as NSString).lastPathComponent
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            if name.hasPrefix(".syscost-tmp-") {
                #expect(temporaries, "\(writer): a temporary file left: \(path)")
            } else {
                #expect(writer.isWhole(path), "\(writer): a partial file under a final name: \(path)")
            }
        }
    }

    @Test(arguments: writers)
    func devFull(_ writer: Writer) throws {
        let scratch = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        switch writer.destination {
        case .file: try Self.expect(writer, target: "/dev/full", status: 3, look: [], scratch: scratch)
        case .stdout: try Self.expect(writer, target: "", stdout: "/dev/full", status: 3, look: [], scratch: scratch)
        case .folder: try Self.expect(writer, target: "/dev/full", status: 2, look: [], scratch: scratch)  // a device is no folder
        }
    }

    @Test(arguments: writers)
    func aFullTmpfs(_ writer: Writer) throws {
        let scratch = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        try Self.withTmpfs { point in
            switch writer.destination {
            case .file:
                try Self.expect(writer, target: "\(point)/d/\(writer.file)", status: 3, look: [point], scratch: scratch)
                #expect(!FileManager.default.fileExists(atPath: "\(point)/d/\(writer.file)"), "\(writer): no file under the final name")
            case .stdout:
                try Self.expect(writer, target: "", stdout: "\(point)/d/stdout", status: 3, look: [point], scratch: scratch)
                let size = (try? FileManager.default.attributesOfItem(atPath: "\(point)/d/stdout")[.size] as? Int) ?? -1
                #expect(size == 0, "\(writer): what reached the full disk is cut off again (\(size) bytes left)")
            case .folder:
                try Self.expect(writer, target: "\(point)/d", status: 3, look: [point], scratch: scratch)
            }
        }
    }

    @Test(arguments: writers.filter { $0.destination != .stdout })
    func aReadOnlyFolder(_ writer: Writer) throws {
        let scratch = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        try Self.withTmpfs(readOnly: true, fill: false) { point in
            let target = writer.destination == .file ? "\(point)/d/\(writer.file)" : "\(point)/d"
            try Self.expect(writer, target: target, status: 2, look: [point], scratch: scratch)
        }
    }

    @Test(arguments: writers.filter { $0.destination != .stdout })
    func aFolderThatIsAFile(_ writer: Writer) throws {
        let scratch = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let file = "\(scratch)/a-file"
        try Data("in the way".utf8).write(to: URL(fileURLWithPath: file))
        let target = writer.destination == .file ? "\(file)/\(writer.file)" : file
        try Self.expect(writer, target: target, status: 2, look: [], scratch: scratch)
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "in the way")
    }

    @Test(arguments: writers.filter { $0.destination == .file })
    func aFIFOWithNoReader(_ writer: Writer) throws {
        let scratch = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let fifo = "\(scratch)/fifo"
        #expect(mkfifo(fifo, 0o600) == 0)
        try Self.expect(writer, target: fifo, status: 3, look: [scratch], scratch: scratch)
    }

    /// SIGKILL at a random moment of a writer's life, ten times each: whatever it had done,
    /// every file under a final name is whole (a temporary file may stay: SIGKILL cannot be
    /// caught, and it never carries a final name).
    @Test(arguments: writers.filter { $0.destination != .stdout })
    func killedAtARandomMoment(_ writer: Writer) throws {
        let scratch = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let target = writer.destination == .file ? "\(scratch)/out/\(writer.file)" : "\(scratch)/out"
        try FileManager.default.createDirectory(atPath: "\(scratch)/out", withIntermediateDirectories: true)
        // How long it takes whole: the random moments fall within that.
        let whole = try Spawned.run(writer.arguments(target, scratch), limit: 120)
        #expect(whole.status == 0 || whole.status == 1, "\(writer): \(whole.stderr.suffix(300))")
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<10 {
            let process = Process()
            process.executableURL = CLI.executable
            process.arguments = writer.arguments(target, scratch)
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(UInt32(Double.random(in: 0...whole.seconds, using: &rng) * 1e6))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            try Self.noPartialFile(in: "\(scratch)/out", writer: writer, temporaries: true)
        }
    }
}
