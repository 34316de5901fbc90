import Foundation
@testable import SysCostModel
import SysCostStatistics
import Testing
import SysCostTestSupport

/// Issue 28's CLI fuzz: every subcommand × every option (and every flag, and the positional
/// arguments) × hostile values. Each invocation must end by itself within a bound, with exit
/// 0, 1, 2, 3 or 4 (or `profile`'s own 126 and 127, when a hostile "--" makes the command one
/// that cannot run) — never a signal — and leave no temporary file behind.
///
/// The subcommands and their options are read from the tool itself
/// (`--experimental-dump-help`), so a new option is fuzzed without a word here. Each runs in
/// a folder of its own (its cwd and TMPDIR), with arguments that keep a valid invocation
/// small: one cheap benchmark, quick, reports from the repository, its own state folders.
///
/// The default run gives every (subcommand, option) pair one value, chosen by a fixed
/// rotation, and every flag once. `SYSCOST_FUZZ=N` instead draws N invocations at random
/// (one to three hostile options each; `SYSCOST_FUZZ_SEED` repeats a draw) and prints their
/// tally: invocations, exit codes, the longest, and whether any ended by a signal.
@Suite(.serialized) struct FuzzTests {
    static let reports = ["20261129T073007Z", "20261129T073046Z"].map {
        PackageRoot.url.appendingPathComponent("results/vm/6.18.44-fc-v595/\($0).json").path
    }

    static let hostile: [String] = [
        "0", "-1", "1", "nan", "NaN", "inf", "-inf", "1e-300", "1e300", "99999999999999999999", "18446744073709551616",
        "-9223372036854775809", "2147483648", "", String(repeating: "x", count: 10_000), "\u{1}\u{7}\u{1B}[31mred\n\t",
        "syscall/*", "a,b,,c", "/dev/full", "-", "--", "%s%n", "\u{202E}evil",
    ]

    /// The longest one invocation may take before it counts as a hang.
    static let limit = 120.0

    struct Command {
        var path: [String]
        var options: [String]
        var flags: [String]
        var positional: Bool
    }

    /// Every leaf subcommand with its options and flags, as the tool describes itself.
    static func commands() throws -> [Command] {
        let r = try CLI.run(["--experimental-dump-help"])
        let root = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        var out: [Command] = []
        func walk(_ c: [String: Any], _ path: [String]) {
            let subs = c["subcommands"] as? [[String: Any]] ?? []
            let arguments = c["arguments"] as? [[String: Any]] ?? []
            func name(_ a: [String: Any]) -> String? {
                guard let names = a["names"] as? [[String: Any]] else { return nil }
                let long = names.first { $0["kind"] as? String == "long" } ?? names.first
                guard let n = long?["name"] as? String else { return nil }
                return (long?["kind"] as? String == "long" ? "--" : "-") + n
            }
            if subs.isEmpty, !path.isEmpty, path != ["help"] {
                out.append(Command(path: path,
                                   options: arguments.filter { $0["kind"] as? String == "option" }.compactMap(name),
                                   flags: arguments.filter { $0["kind"] as? String == "flag" }.compactMap(name),
                                   positional: arguments.contains { $0["kind"] as? String == "positional" }))
            }
            for s in subs { if let n = s["commandName"] as? String { walk(s, path + [n]) } }
        }
        walk(try #require(root["command"] as? [String: Any]), [])
        return out
    }

    /// The arguments that keep a valid invocation of `command` small and inside `dir`;
    /// fuzzed arguments go after them (a repeated option's last value counts), except
    /// `profile`'s, which go before its `-- true`.
    static func base(_ command: [String], in dir: String) -> (before: [String], after: [String]) {
        let quick = ["syscall/invalid/raw", "--quick", "--warmup", "0"]
        switch command {
        case ["run"]: return (quick + ["--results-dir", "\(dir)/results"], [])
        case ["compare"]: return (reports, [])
        case ["history"], ["report"]: return ([reports[0]], [])
        case ["baseline", "save"]: return (["fz", reports[0], "--dir", "\(dir)/baselines"], [])
        case ["baseline", "check"]: return (["fz", reports[1], "--dir", "\(dir)/baselines", "--spread-dir", "\(dir)/results"], [])
        case ["baseline", "list"]: return (["--dir", "\(dir)/baselines"], [])
        case ["baseline", "delete"]: return (["nothing", "--dir", "\(dir)/baselines"], [])
        case ["calibrate"]: return (["--learn-only", "--results-dir", "\(dir)/results"], [])
        case ["doctor"]: return (["--sample", "10", "--canary", "0.05"], [])
        case ["profile"]: return (["--results-dir", "\(dir)/results"], ["--", "true"])
        case ["watch"]: return (quick + ["--state-dir", "\(dir)/state", "--textfile-dir", "\(dir)/textfile", "--no-confirm"], [])
        default: return ([], [])
        }
    }

    struct Tally {
        var invocations = 0
        var exits: [Int32: Int] = [:]
        var longest: (seconds: Double, arguments: [String]) = (0, [])
        var failures: [String] = []
    }

    /// Runs one invocation in `dir` and notes what it did; a signal, a hang, an exit status
    /// outside 0…4 or a temporary file left behind is a failure.
    static func invoke(_ arguments: [String], in dir: String, into tally: inout Tally) throws {
        let r = try Spawned.run(arguments, directory: dir, environment: ["TMPDIR": "\(dir)/tmp"], limit: limit)
        tally.invocations += 1
        if let status = r.status { tally.exits[status, default: 0] += 1 }
        if r.seconds > tally.longest.seconds { tally.longest = (r.seconds, arguments) }
        let shown = arguments.map { $0.count > 40 ? String($0.prefix(20)) + "…(\($0.count))" : $0 }.map { $0.debugDescription }.joined(separator: " ")
        if r.killedAfterLimit {
            tally.failures.append("still running after \(limit) s: \(shown)")
        } else if let signal = r.signal {
            tally.failures.append("signal \(signal): \(shown): \(r.stderr.suffix(300))")
        } else if let status = r.status, !(0...4).contains(status) && !(arguments.first == "profile" && [126, 127].contains(status)) {
            tally.failures.append("exit \(status): \(shown): \(r.stderr.suffix(300))")
        }
        let left = (FileManager.default.enumerator(atPath: dir)?.compactMap { $0 as? String } ?? [])
            .filter { ($0 as NSString).lastPathComponent.hasPrefix(".syscost-tmp-") }
        if !left.isEmpty {
            tally.failures.append("left \(left) behind: \(shown)")
            for file in left { unlink((dir as NSString).appendingPathComponent(file)) }
        }
    }

    /// A folder for the invocations, with a baseline to check against.
    static func workspace() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("syscost-fuzz-\(UUID())").path
        for sub in ["", "tmp", "baselines", "results", "state", "textfile"] {
            try FileManager.default.createDirectory(atPath: (dir as NSString).appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        try FileManager.default.copyItem(atPath: reports[0], toPath: "\(dir)/baselines/fz.json")
        return dir
    }

    static func arguments(_ command: Command, _ fuzzed: [String], in dir: String) -> [String] {
        let (before, after) = base(command.path, in: dir)
        return command.path + before + fuzzed + after
    }

    @Test func everyOptionOfEverySubcommandTakesHostileValues() throws {
        let commands = try Self.commands()
        #expect(commands.count >= 15 && commands.contains { $0.path == ["baseline", "check"] }, "\(commands.map(\.path))")
        let dir = try Self.workspace()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var tally = Tally()
        if let n = ProcessInfo.processInfo.environment["SYSCOST_FUZZ"].flatMap(Int.init), n > 0 {
            let seed = ProcessInfo.processInfo.environment["SYSCOST_FUZZ_SEED"].flatMap(UInt64.init) ?? UInt64(Date().timeIntervalSince1970)
            var rng = SplitMix64(seed: seed)
            for _ in 0..<n {
                let command = commands[Int(rng.next() % UInt64(commands.count))]
                var fuzzed: [String] = []
                for _ in 0..<(1 + Int(rng.next() % 3)) {
                    let value = Self.hostile[Int(rng.next() % UInt64(Self.hostile.count))]
                    let choices = command.options.count + command.flags.count + (command.positional ? 1 : 0)
                    guard choices > 0 else { break }
                    let k = Int(rng.next() % UInt64(choices))
                    if k < command.options.count { fuzzed += [command.options[k], value] }
                    else if k < command.options.count + command.flags.count { fuzzed.append(command.flags[k - command.options.count]) }
                    else { fuzzed.append(value) }
                }
                try Self.invoke(Self.arguments(command, fuzzed, in: dir), in: dir, into: &tally)
            }
            let exits = tally.exits.sorted { $0.key < $1.key }.map { "exit \($0.key): \($0.value)" }.joined(separator: ", ")
            print("fuzz (seed \(seed)): \(tally.invocations) invocations; \(exits); longest \(String(format: "%.2f", tally.longest.seconds)) s (\(tally.longest.arguments.prefix(12).joined(separator: " "))); \(tally.failures.isEmpty ? "no signal, no hang, nothing left behind" : "\(tally.failures.count) failures")")
        } else {
            var turn = 0
            for command in commands {
                for option in command.options {
                    try Self.invoke(Self.arguments(command, [option, Self.hostile[turn % Self.hostile.count]], in: dir), in: dir, into: &tally)
                    turn += 1
                }
                for flag in command.flags { try Self.invoke(Self.arguments(command, [flag], in: dir), in: dir, into: &tally) }
                if command.positional {
                    try Self.invoke(Self.arguments(command, [Self.hostile[turn % Self.hostile.count]], in: dir), in: dir, into: &tally)
                    turn += 1
                }
            }
            #expect(tally.invocations > 200, "\(tally.invocations)")
        }
        #expect(tally.failures.isEmpty, "\(tally.failures.count) of \(tally.invocations):\n\(tally.failures.prefix(20).joined(separator: "\n"))")
        // The fuzz reaches past parsing: some invocations end in each of these.
        #expect(tally.exits[0, default: 0] > 0 && tally.exits[2, default: 0] > 0, "\(tally.exits)")
    }
}
