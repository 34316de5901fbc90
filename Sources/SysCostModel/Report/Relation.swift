/// How one benchmark's figure depends on another's, measured in the same run.
public struct Relation: Codable, Hashable, Sendable {
    public enum Role: String, Codable, CaseIterable, Sendable {
        /// The same transport's syscalls in one task, no switch (a ping-pong's baseline).
        case transport
        /// The same call made as a raw syscall (a vDSO call's reference).
        case syscallForm = "syscall-form"
        /// The same work without the syscall (a pointer chase's baseline).
        case baseline
        /// The syscall alone in a hot loop (its direct cost).
        case directCost = "direct-cost"
        /// The same glibc call in a single-threaded process (a `libc-threaded` variant's baseline).
        case singleThreaded = "single-threaded"
    }
    public var role: Role
    public var id: BenchmarkID

    /// Whether the related benchmark must run whenever this one does (a baseline the figure
    /// subtracts); a syscall form is used when it ran, and not added to a selection.
    public var isRequired: Bool { role != .syscallForm }

    public init(_ role: Role, _ id: BenchmarkID) { self.role = role; self.id = id }
}
