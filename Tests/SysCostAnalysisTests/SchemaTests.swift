import Foundation
@testable import SysCostModel
@testable import SysCostRender
@testable import SysCostSuites
import Testing
import SysCostTestSupport

/// `syscost.run/3` is designed, documented and checked: every committed report (`/1` and
/// `/2`), written as `/3`, validates against docs/report-schema.json (by the jsonschema package,
/// which scripts/setup.sh installs), carries no synthesized enum anywhere, and the figure kinds
/// the suites declare are exactly the ones the schema and its documentation list.
@Suite struct SchemaTests {
    static let docs = SnapshotTests.root.appendingPathComponent("docs")

    /// Every committed report as `/3`, compact and pretty, in a scratch folder.
    static func exported() throws -> (dir: String, files: [String]) {
        let dir = try TempFolder("schema").path
        var files: [String] = []
        for (i, path) in SnapshotTests.reports.enumerated() {
            let report = try ReportLoader.load(SnapshotTests.root.appendingPathComponent("results/" + path).path)
            for pretty in [false, true] {
                let file = dir + "/\(i)-\(pretty).json"
                try report.export(as: .json, ExportOptions(pretty: pretty)).write(toFile: file, atomically: true, encoding: .utf8)
                files.append(file)
            }
        }
        return (dir, files)
    }

    /// scripts/validate-schema.py on `files`, against the report schema unless told another.
    static func validate(_ files: [String], schema: String? = nil) throws -> (status: Int32, output: String) {
        try ExternalTool.run(["python3", SnapshotTests.root.appendingPathComponent("scripts/validate-schema.py").path,
                              schema ?? docs.appendingPathComponent("report-schema.json").path] + files)
    }

    @Test func everyCommittedReportValidatesAsVersion3() throws {
        let (dir, files) = try Self.exported()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try Self.validate(files)
        #expect(r.status == 0, "\(r.output)")
        #expect(r.output.split(separator: "\n").filter { $0.hasPrefix("ok ") }.count == files.count, "\(r.output)")
        for file in files {
            let text = try String(contentsOfFile: file, encoding: .utf8)
            #expect(!text.contains("\"_0\""), "\(file)")
            #expect(text.contains("\"syscost.run/3\""))
        }
        // Between them, the committed runs carry every kind of figure but the A/B's.
        let kinds = Set(try SnapshotTests.reports.flatMap { path in
            try ReportLoader.load(SnapshotTests.root.appendingPathComponent("results/" + path).path).results.flatMap { $0.figures.map(\.kind) }
        })
        #expect(kinds.union([.knobCost]) == Set(DerivedFigure.Kind.allCases))
    }

    /// The schema is no rubber stamp: a `/2` report, a synthesized figure and an unknown kind fail it.
    @Test func theSchemaRefusesWhatIsNotVersion3() throws {
        let (dir, files) = try Self.exported()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: files[0]))) as! [String: Any]
        var results = object["results"] as! [[String: Any]]
        results[0]["figures"] = [["speedupOverSyscall": ["_0": ["value": 1, "rounds": 0]]]]
        object["results"] = results
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: dir + "/synthesized.json"))
        results[0]["figures"] = [["kind": "made-up", "value": 1, "unit": "ratio"]]
        object["results"] = results
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: dir + "/kind.json"))
        // A committed report of an older schema (the first one there is), as it was written.
        let committed = try #require(SnapshotTests.reports.lazy.map { SnapshotTests.root.appendingPathComponent("results/" + $0).path }
            .first { (try? String(contentsOfFile: $0, encoding: .utf8))?.contains("\"syscost.run/3\"") == false })
        for file in [dir + "/synthesized.json", dir + "/kind.json", committed] {
            let r = try Self.validate([file])
            #expect(r.status == 1 && r.output.contains("invalid"), "\(file): \(r.output)")
        }
    }

    /// The kinds: declared by the suites (and the runner's A/B), listed by the schema file
    /// and by docs/report-schema.md, and nothing else.
    @Test func theFigureKindsAreTheSuitesOwn() throws {
        let declared = Suites.figureKinds.map(\.rawValue)
        #expect(Set(declared) == Set(DerivedFigure.Kind.allCases.map(\.rawValue)) && declared.count == Set(declared).count)
        let schema = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.docs.appendingPathComponent("report-schema.json"))) as! [String: Any]
        let figure = ((schema["$defs"] as! [String: Any])["figure"] as! [String: Any])["properties"] as! [String: Any]
        #expect(Set((figure["kind"] as! [String: Any])["enum"] as! [String]) == Set(declared))
        #expect(Set((figure["unit"] as! [String: Any])["enum"] as! [String]) == Set(DerivedFigure.Unit.allCases.map(\.rawValue)))
        let doc = try String(contentsOf: Self.docs.appendingPathComponent("report-schema.md"), encoding: .utf8)
        for kind in declared { #expect(doc.contains("`\(kind)`"), "docs/report-schema.md does not name \(kind)") }
    }

    /// The warning kinds: the model's, the schema's and the documentation's are one list
    /// (`preempted` and `imprecise` were once missing from the documentation).
    @Test func theWarningKindsAgreeEverywhere() throws {
        let model = Set(Warning.Kind.allCases.map(\.rawValue))
        let schema = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.docs.appendingPathComponent("report-schema.json")))
        // The enum of a "kind" property that holds "noisy", wherever the schema puts it.
        func find(_ node: Any) -> [String]? {
            if let object = node as? [String: Any] {
                if let kind = (object["properties"] as? [String: Any])?["kind"] as? [String: Any],
                   let values = kind["enum"] as? [String], values.contains("noisy") { return values }
                for value in object.values { if let found = find(value) { return found } }
            } else if let array = node as? [Any] {
                for value in array { if let found = find(value) { return found } }
            }
            return nil
        }
        #expect(Set(try #require(find(schema))) == model)
        let doc = try String(contentsOf: Self.docs.appendingPathComponent("report-schema.md"), encoding: .utf8)
        let line = try #require(doc.split(separator: "\n").first { $0.hasPrefix("| `warnings` |") })
        let row = try #require(line.components(separatedBy: "kinds:").dropFirst().first)
        let documented = Set(try NSRegularExpression(pattern: "`([a-z][a-z-]*)`").matches(in: row, range: NSRange(row.startIndex..., in: row))
            .compactMap { Range($0.range(at: 1), in: row).map { String(row[$0]) } })
        #expect(documented == model, "docs/report-schema.md lists \(documented.sorted()); the model has \(model.sorted())")
    }

    /// Every enumeration of the JSON Schema, wherever it sits, is the model's own list of that
    /// field's values, and docs/report-schema.md names each value: the three cannot drift.
    @Test func everyEnumerationOfTheSchemaIsTheModelsAndIsDocumented() throws {
        let schema = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.docs.appendingPathComponent("report-schema.json")))
        var found: [(name: String, values: [String])] = []  // each enum, under its property's name
        func walk(_ node: Any, _ name: String) {
            if let object = node as? [String: Any] {
                if let values = object["enum"] as? [String] { found.append((name, values)) }
                for (key, value) in object { walk(value, ["properties", "items", "additionalProperties"].contains(key) ? name : key) }
            } else if let array = node as? [Any] { for value in array { walk(value, name) } }
        }
        walk(schema, "")
        // The model's lists a property of that name may hold (a status is a result's or a
        // counter's; a kind a warning's or a figure's; a unit a result's or a figure's).
        let model: [String: [[String]]] = [
            "knob": [["seccomp", "speculation"]],  // ABKnob's cases, by their coding keys
            "category": [Category.allCases.map(\.rawValue)],
            "role": [Relation.Role.allCases.map(\.rawValue)],
            "stoppedBy": [StopReason.allCases.map(\.rawValue)],
            "status": [ResultStatus.allCases.map(\.rawValue), CounterValue.Status.allCases.map(\.rawValue)],
            "kind": [Warning.Kind.allCases.map(\.rawValue), DerivedFigure.Kind.allCases.map(\.rawValue),
                     InstructionClock.Kind.allCases.map(\.rawValue)],
            "unit": [FigureUnit.allCases.map(\.rawValue), DerivedFigure.Unit.allCases.map(\.rawValue)],
        ]
        #expect(found.count >= 10, "\(found.map(\.name))")
        for (name, values) in found {
            let lists = model[name] ?? []
            #expect(lists.contains { Set($0) == Set(values) }, "the schema's \(name) enum \(values) is none of the model's \(lists)")
        }
        let doc = try String(contentsOf: Self.docs.appendingPathComponent("report-schema.md"), encoding: .utf8)
        var missing: [String] = []
        for (_, values) in found { for value in values where !doc.contains("`\(value)`") && !doc.contains("\"\(value)\"") { missing.append(value) } }
        #expect(missing.isEmpty, "docs/report-schema.md does not name \(missing.sorted())")
    }

    /// A profile's price basis is designed too; the synthesized form of earlier profiles loads.
    @Test func aPriceBasisIsDesigned() throws {
        let written = String(decoding: try JSONEncoder().encode(SyscallPrice.Basis.catalog("syscall/getppid/raw")), as: UTF8.self)
        #expect(written == #"{"catalog":"syscall\/getppid\/raw"}"# || written == #"{"catalog":"syscall/getppid/raw"}"#, "\(written)")
        #expect(try JSONDecoder().decode(SyscallPrice.Basis.self, from: Data(#"{"catalog": {"_0": "syscall/read/raw"}}"#.utf8)) == .catalog("syscall/read/raw"))
        #expect(try JSONDecoder().decode(SyscallPrice.Basis.self, from: Data(#"{"entryOnly": {}}"#.utf8)) == .entryOnly)
        #expect(try JSONDecoder().decode(SyscallPrice.Basis.self, from: Data(#"{"entryOnly": true}"#.utf8)) == .entryOnly)
    }

    /// `/2`'s synthesized A/B knob still loads, and is written in `/3`'s form.
    @Test func theABKnobIsDesignedAndTheOldFormLoads() throws {
        let old = Data(#"{"seccomp": {"_0": "cached"}}"#.utf8), newer = Data(#"{"knob": "speculation", "setting": "indirect-branch"}"#.utf8)
        #expect(try JSONDecoder().decode(ABKnob.self, from: old) == .seccomp("cached"))
        #expect(try JSONDecoder().decode(ABKnob.self, from: newer) == .speculation(.indirectBranch))
        let written = String(decoding: try JSONEncoder().encode(ABKnob.seccomp("200")), as: UTF8.self)
        #expect(written.contains("\"knob\":\"seccomp\"") && written.contains("\"setting\":\"200\"") && !written.contains("_0"))
    }
}
