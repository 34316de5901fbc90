import Foundation

/// What `syscost profile -- COMMAND` found: the command's system calls and switches, counted
/// by the kernel, priced from this machine's catalog. Its JSON form is the
/// `syscost.profile/1` schema (docs/profile-schema.md).
public struct ProfileReport: Codable, Equatable, Sendable {
    public static let schemaVersion = "syscost.profile/1"

    public var schema: String = ProfileReport.schemaVersion
    /// The command and its arguments, as given.
    public var command: [String]
    public var environment: EnvironmentInfo
    public var startedAt: String
    /// From exec to exit, as syscost's clock saw it.
    public var wallSeconds: Double
    /// The command's user and system time, its children's included (wait4).
    public var userSeconds: Double
    public var systemSeconds: Double
    /// How it ended: its exit status, or the signal that ended it.
    public var exit: Exit
    /// A SIGINT or SIGTERM reached syscost and was passed on: the counts are those until then.
    public var interrupted: Bool
    /// Calls by name, as the kernel's syscall tracepoints counted them (inherited by every
    /// child and thread); empty when they could not be counted (`syscallsUnavailable` says why).
    public var syscalls: [SyscallCount]
    public var syscallsUnavailable: String?
    /// Set when syscost mounted tracefs to find the tracepoints.
    public var tracefsMounted: String?
    /// From wait4: the command's and its waited-for children's switches and faults.
    public var rusage: Rusage
    /// Kernel counters over the whole command (`perOp` is the total): context switches, CPU
    /// migrations, faults, task-clock, and cycles and instructions where a PMU exists.
    public var counters: [CounterName: CounterValue]
    /// What counting cost each system call (ns, measured just before the command on getppid,
    /// with against without a tracepoint counter); nil with `countingOverheadUnavailable`.
    public var countingOverhead: PairedEstimate?
    public var countingOverheadUnavailable: String?
    /// The prices; nil when none could be had (`pricesUnavailable` says why).
    public var prices: PriceList?
    public var pricesUnavailable: String?

    public struct Exit: Codable, Equatable, Sendable {
        /// The exit status, or nil when a signal ended it.
        public var status: Int32?
        public var signal: Int32?
        /// What syscost exits with: the status, or 128 + the signal.
        public var code: Int32 { status ?? (128 + (signal ?? 0)) }
        public init(status: Int32?, signal: Int32?) { self.status = status; self.signal = signal }
    }

    public struct SyscallCount: Codable, Equatable, Sendable {
        public var name: String
        public var calls: UInt64
        public init(name: String, calls: UInt64) { self.name = name; self.calls = calls }
    }

    public struct Rusage: Codable, Equatable, Sendable {
        public var voluntarySwitches: Int
        public var involuntarySwitches: Int
        public var minorFaults: Int
        public var majorFaults: Int
        public init(voluntarySwitches: Int, involuntarySwitches: Int, minorFaults: Int, majorFaults: Int) {
            self.voluntarySwitches = voluntarySwitches; self.involuntarySwitches = involuntarySwitches
            self.minorFaults = minorFaults; self.majorFaults = majorFaults
        }
    }

    public init(command: [String], environment: EnvironmentInfo, startedAt: String, wallSeconds: Double, userSeconds: Double,
                systemSeconds: Double, exit: Exit, interrupted: Bool, syscalls: [SyscallCount], syscallsUnavailable: String?,
                tracefsMounted: String?, rusage: Rusage, counters: [CounterName: CounterValue]) {
        self.command = command; self.environment = environment; self.startedAt = startedAt; self.wallSeconds = wallSeconds
        self.userSeconds = userSeconds; self.systemSeconds = systemSeconds; self.exit = exit; self.interrupted = interrupted
        self.syscalls = syscalls; self.syscallsUnavailable = syscallsUnavailable; self.tracefsMounted = tracefsMounted
        self.rusage = rusage; self.counters = counters
    }

    /// Every call counted.
    public var totalCalls: UInt64 { syscalls.reduce(0) { $0 + $1.calls } }

    /// Process switches: the kernel's context-switch counter over every task of the command,
    /// or wait4's voluntary + involuntary where it could not count.
    public var processSwitches: Double {
        counters[.contextSwitches]?.perOp ?? Double(rusage.voluntarySwitches + rusage.involuntarySwitches)
    }

    /// One priced row per call name, dearest first (by estimated total).
    public struct Row: Equatable, Sendable {
        public var name: String
        public var calls: UInt64
        public var price: SyscallPrice?
        public var totalNs: Double? { price.map { $0.ns * Double(calls) } }
    }

    public var rows: [Row] {
        syscalls.map { Row(name: $0.name, calls: $0.calls, price: prices?.prices[$0.name]) }
            .sorted { ($0.totalNs ?? 0, $0.calls, $1.name) > ($1.totalNs ?? 0, $1.calls, $0.name) }
    }

    /// Decodes a profile, refusing another schema with a message naming the one found.
    public static func decode(_ data: Data) throws -> ProfileReport {
        struct Header: Decodable { var schema: String? }
        guard let header = try? JSONDecoder().decode(Header.self, from: data) else {
            throw SysCostError.invalidReport("not a JSON object")
        }
        guard header.schema == schemaVersion else {
            throw SysCostError.invalidReport("schema is '\(header.schema ?? "missing")', expected '\(schemaVersion)'")
        }
        do { return try JSONDecoder().decode(ProfileReport.self, from: data) } catch {
            throw SysCostError.invalidReport("malformed \(schemaVersion) report: \(error)")
        }
    }
}
