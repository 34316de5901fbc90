import SysCostModel

/// Suite `timer`: the CPU's own clocks (rdtsc, rdtscp, rdpid), read with no kernel entry.
/// Its figures stand alone: nothing derived, no section of its own.
public struct TimerDescriptor: SuiteDescriptor {
    public var suite: SuiteName { .timer }
    public init() {}
}

extension SuiteName {
    public static let timer = SuiteName("timer")
}
