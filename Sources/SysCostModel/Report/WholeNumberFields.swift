import Foundation

/// Names the field when a report's integer field holds what no integer is (1.5, 1e300, −1 in
/// an unsigned one). Foundation's decoder says only "The given data was not valid JSON" then,
/// naming nothing; this walks the parsed document, on that failure path only, for the first
/// such value under a key the report's types decode as an integer.
enum WholeNumberFields {
    /// The keys the report's types hold as integers (signed), and those held unsigned.
    static let signed: Set<String> = [
        "count", "countingBatches", "cpu", "cpuFamily", "cpuModel", "cpuStepping", "exitStatus", "filters",
        "instructions", "involuntarySwitches", "iterationsPerBatch", "logicalCPUs", "longInstructions", "majorFaults",
        "minorFaults", "paranoid", "perfEventParanoid", "perfSampleRate", "repetitions", "retakenBatches",
        "rounds", "shortInstructions", "signal", "slices", "syscallsPerOp", "totalCalls", "voluntarySwitches", "workingSet",
    ]
    static let unsigned: Set<String> = ["seed", "memoryBytes", "calls"]

    /// "results[3].iterationsPerBatch: 1.5 is not a whole number", or nil when none is found.
    static func firstProblem(in data: Data) -> String? {
        guard let root = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else { return nil }
        return walk(root, path: "")
    }

    private static func walk(_ value: Any, path: String) -> String? {
        if let object = value as? [String: Any] {
            for key in object.keys.sorted() {
                let here = path.isEmpty ? key : path + "." + key
                if let number = object[key] as? NSNumber,
                   signed.contains(key) || unsigned.contains(key),
                   let why = problem(number.doubleValue, unsigned: unsigned.contains(key)) {
                    return "\(here): \(format(number.doubleValue)) \(why)"
                }
                if let found = walk(object[key] as Any, path: here) { return found }
            }
        } else if let array = value as? [Any] {
            for (i, element) in array.enumerated() {
                if let found = walk(element, path: "\(path)[\(i)]") { return found }
            }
        }
        return nil
    }

    static func problem(_ x: Double, unsigned: Bool) -> String? {
        guard x.isFinite, x == x.rounded() else { return "is not a whole number" }
        if unsigned { return x < 0 ? "is negative; it is a whole number from 0" : x >= 18_446_744_073_709_551_616 ? "is beyond any 64-bit number" : nil }
        return abs(x) >= 9_223_372_036_854_775_808 ? "is beyond any 64-bit number" : nil
    }

    static func format(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : "\(x)"
    }
}
