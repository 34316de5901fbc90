import Foundation
@testable import SysCostAnalysis
@testable import SysCostStatistics
@testable import SysCostModel
@testable import SysCostRender
import Testing
import SysCostTestSupport

/// Every committed report, mutated as a careless or hostile hand would (truncated, a value of
/// another type, extreme and non-finite numbers, empty and huge arrays, a duplicated result,
/// odd Unicode and control characters in a string), then decoded, compared, tabulated and
/// rendered in every format. A mutant is either refused as a report (`invalidReport`, naming
/// the cause) or goes through all of it; none may crash the process or take over 5 s.
///
/// The default run takes `defaultMutants`, seeded, in a few seconds;
/// `SYSCOST_MUTANTS=10000 swift test --filter Mutation` runs more, and `SYSCOST_MUTANT_TRACE=1`
/// writes each mutant to /tmp/syscost-mutant.json before it is tried (the one a crash leaves).
@Suite struct MutationTests {
    static let defaultMutants = 48

    /// A place in a JSON document.
    enum Step { case key(String), index(Int) }

    static func paths(_ node: Any, _ prefix: [Step] = [], into out: inout [[Step]]) {
        out.append(prefix)
        if let object = node as? [String: Any] {
            for (k, v) in object.sorted(by: { $0.key < $1.key }) { paths(v, prefix + [.key(k)], into: &out) }
        } else if let array = node as? [Any] {
            // Long arrays (rounds) are represented by a few of their places.
            for i in Set([0, 1, array.count / 2, array.count - 1]).sorted() where i >= 0 && i < array.count {
                paths(array[i], prefix + [.index(i)], into: &out)
            }
        }
    }

    static func get(_ node: Any, _ path: ArraySlice<Step>) -> Any? {
        guard let step = path.first else { return node }
        switch step {
        case .key(let k): return (node as? [String: Any])?[k].flatMap { get($0, path.dropFirst()) }
        case .index(let i):
            guard let a = node as? [Any], a.indices.contains(i) else { return nil }
            return get(a[i], path.dropFirst())
        }
    }

    static func set(_ node: Any, _ path: ArraySlice<Step>, _ value: Any) -> Any {
        guard let step = path.first else { return value }
        switch step {
        case .key(let k):
            guard var o = node as? [String: Any], let child = o[k] else { return node }
            o[k] = set(child, path.dropFirst(), value)
            return o
        case .index(let i):
            guard var a = node as? [Any], a.indices.contains(i) else { return node }
            a[i] = set(a[i], path.dropFirst(), value)
            return a
        }
    }

    static let strings = ["", "\u{1B}]0;title\u{07}\u{1B}[2J", "\u{202E}gnp.exe", "a\u{0}b", "e\u{301}\u{301}\u{301}", "ワイド🙂", "|`<b>[x](y)\n",
                          String(repeating: "x", count: 20_000), "syscall/x/raw", "0-9999999999", "../../etc/passwd", "\u{9B}31m", "1e999"]
    static let numbers: [Double] = [0, -0.0, -1, 1e300, -1e300, 1e-300, .greatestFiniteMagnitude, 9.2e18, -9.2e18, 1e12 + 1, 4_294_967_296, 0.5]

    /// One mutant of `seed` (its JSON object and its bytes), by the `k`-th mutation.
    static func mutant(_ object: Any, bytes: Data, paths: [[Step]], rng: inout SplitMix64) -> Data {
        func pick<T>(_ xs: [T]) -> T { xs[Int(rng.next() % UInt64(xs.count))] }
        let path = pick(paths)
        var tree = object
        let kind = rng.next() % 8
        if ProcessInfo.processInfo.environment["SYSCOST_MUTANT_TRACE"] == "1" { print("mutation kind \(kind) at \(path.count) steps") }
        switch kind {
        case 0:  // truncated
            return bytes.prefix(Int(rng.next() % UInt64(bytes.count)))
        case 1:  // a value of another type
            tree = set(tree, path[...], pick([["x": 1] as Any, [1, "a"] as Any, "text", 42, true, NSNull()]))
        case 2:  // an extreme number
            tree = set(tree, path[...], pick(numbers) as Any)
        case 3:  // a non-finite number, as text no JSON writer would make
            let text = String(decoding: bytes, as: UTF8.self) as NSString
            let numbers = try! NSRegularExpression(pattern: #"(?<=: )-?[0-9][0-9.eE+-]*"#)
                .matches(in: text as String, range: NSRange(location: 0, length: text.length))
            guard !numbers.isEmpty else { return bytes }
            let replaced = text.replacingCharacters(in: pick(numbers).range, with: pick(["NaN", "Infinity", "-Infinity", "1e999", "-1e999", "1e-999"]))
            return Data(replaced.utf8)
        case 4:  // an array emptied or made long
            guard let array = get(tree, path[...]) as? [Any] ?? get(tree, path.dropLast()) as? [Any], let first = array.first else { return bytes }
            let target = get(tree, path[...]) is [Any] ? path : Array(path.dropLast())
            tree = set(tree, target[...], rng.next() % 2 == 0 ? [] : Array(repeating: first, count: 2_000 + Int(rng.next() % 3_000)))
        case 5:  // a result duplicated
            guard var o = tree as? [String: Any], var results = o["results"] as? [Any], !results.isEmpty else { return bytes }
            results.append(pick(results))
            o["results"] = results
            tree = o
        default:  // odd Unicode or control characters in a string
            let stringPaths = paths.filter { get(object, $0[...]) is String }
            guard !stringPaths.isEmpty else { return bytes }
            tree = set(tree, pick(stringPaths)[...], pick(strings))
        }
        // A whole document replaced by a bare value is a fragment, which this Foundation's writer
        // will not write on its own (it stops the process): written inside an array, unwrapped.
        guard tree is [String: Any] || tree is [Any] else {
            guard let wrapped = try? JSONSerialization.data(withJSONObject: [tree]) else { return bytes }
            return wrapped.dropFirst().dropLast()
        }
        return (try? JSONSerialization.data(withJSONObject: tree)) ?? bytes
    }

    /// Everything a report goes through after it is read.
    static func exercise(_ report: RunReport, against seed: RunReport) throws {
        for format in OutputFormat.allCases {
            // google/benchmark's JSON refuses an instruction count, by name: a refusal, no crash.
            if format == .googleBenchmark && report.environment.instructionClock != nil {
                do { _ = try report.export(as: format) } catch is SysCostError {}
                continue
            }
            _ = try (report).export(as: format)
        }
        for (base, new) in [(seed, report), (report, report)] {
            if let c = try? Comparison.compare(base: base, new: new) {
                for format in Comparison.formats { _ = try c.export(as: format) }
            }
        }
        let histories = History.perMachine([("seed.json", seed), ("mutant.json", report)])
        for format in HistoryDocument.formats {
            for width in [40, 160] { _ = try HistoryDocument(histories).export(as: format, ExportOptions(width: width)) }
        }
    }

    @Test func noMutantCrashesOrStalls() throws {
        let count = ProcessInfo.processInfo.environment["SYSCOST_MUTANTS"].flatMap(Int.init) ?? Self.defaultMutants
        let trace = ProcessInfo.processInfo.environment["SYSCOST_MUTANT_TRACE"] == "1"
        let seeds = try SnapshotTests.reports.map { path -> (Data, Any, [[Step]], RunReport) in
            let bytes = try Data(contentsOf: SnapshotTests.root.appendingPathComponent("results/" + path))
            let object = try JSONSerialization.jsonObject(with: bytes)
            var paths: [[Step]] = []
            Self.paths(object, into: &paths)
            return (bytes, object, paths, try RunReport.decode(bytes))
        }
        // What each seed itself takes: a stall is a mutant far slower than the honest report it
        // came from (a 208-result report of 40 rounds takes seconds in a debug build on its own).
        let own = try seeds.map { seed -> Double in
            let started = Date()
            try Self.exercise(seed.3, against: seed.3)
            return Date().timeIntervalSince(started)
        }
        var rng = SplitMix64(seed: 0x5ca1ab1e)
        var refused = 0, longest = 0.0, worst = 0.0, reasons: [String: Int] = [:]
        for k in 0..<count {
            let (bytes, object, paths, seed) = seeds[k % seeds.count]
            let data = Self.mutant(object, bytes: bytes, paths: paths, rng: &rng)
            if trace { try data.write(to: URL(fileURLWithPath: "/tmp/syscost-mutant.json")) }
            let started = Date()
            do {
                let report = try RunReport.decode(data)
                try Self.exercise(report, against: seed)
            } catch let error as SysCostError {
                guard case .invalidReport(let why) = error else {
                    Issue.record("mutant \(k): \(error) is not a refusal of the report")
                    continue
                }
                refused += 1
                reasons[String(why.prefix(24)), default: 0] += 1
            }
            let took = Date().timeIntervalSince(started)
            if trace { print("mutant \(k) of seed \(k % seeds.count): \(String(format: "%.3f", took)) s") }
            longest = max(longest, took)
            worst = max(worst, took - 3 * own[k % seeds.count])
        }
        print("mutation: \(count) mutants, \(refused) refused as reports, \(count - refused) went through; longest input \(String(format: "%.3f", longest)) s, the seeds themselves \(own.map { String(format: "%.2f", $0) }.joined(separator: " ")) s")
        #expect(worst < 5, "an input took \(worst) s more than three times its seed's own time")
        // The mutations reach both outcomes: some refused, some read.
        #expect(refused > 0 && refused < count)
    }
}
