import Foundation

/// The cost of seccomp filters of growing length, each measured in a forked child that
/// installs it (a filter cannot be removed again): getppid at 2 and `longest` instructions of
/// an argument-reading filter gives the slope per instruction and the fixed cost of entering
/// the filter path at all.
public struct SeccompSlope: Codable, Equatable, Sendable {
    public var shortInstructions: Int
    public var shortNs: Double
    public var longInstructions: Int
    public var longNs: Double
    public var perInstructionNs: Double { (longNs - shortNs) / Double(longInstructions - shortInstructions) }

    public init(shortInstructions: Int, shortNs: Double, longInstructions: Int, longNs: Double) {
        self.shortInstructions = shortInstructions; self.shortNs = shortNs
        self.longInstructions = longInstructions; self.longNs = longNs
    }
}
