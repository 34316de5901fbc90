/// What a test helper throws when the state it waits for or the tool it runs did not come:
/// the message says which, with what was seen.
public struct TestFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
