/// A figure computed from a result's counters.
public enum CounterMetric: String, Codable, CodingKeyRepresentable, Sendable, CaseIterable, Comparable {
    case ipcUser = "ipc:u"
    case ipcKernel = "ipc:k"
    case ipc
    case kernelCycleShare = "kernel-cycle-share"

    public static func < (a: CounterMetric, b: CounterMetric) -> Bool { a.rawValue < b.rawValue }

    /// What `perf stat` would print after the number.
    public var meaning: String {
        switch self {
        case .ipcUser: return "instructions per cycle in user mode"
        case .ipcKernel: return "instructions per cycle in kernel mode"
        case .ipc: return "instructions per cycle"
        case .kernelCycleShare: return "of cycles spent in the kernel"
        }
    }

    /// The metrics whose inputs were all counted.
    public static func compute(_ counters: [CounterName: CounterValue]) -> [CounterMetric: Double]? {
        func value(_ name: CounterName) -> Double? {
            guard let c = counters[name], c.status == .ok else { return nil }
            return c.perOp
        }
        var out: [CounterMetric: Double] = [:]
        let pairs: [(CounterName, CounterName, CounterMetric)] = [
            (.instructionsUser, .cyclesUser, .ipcUser), (.instructionsKernel, .cyclesKernel, .ipcKernel),
            (.instructions, .cycles, .ipc),
        ]
        for (instructions, cycles, metric) in pairs {
            if let i = value(instructions), let c = value(cycles), c > 0 { out[metric] = i / c }
        }
        if let user = value(.cyclesUser), let kernel = value(.cyclesKernel), user + kernel > 0 {
            out[.kernelCycleShare] = kernel / (user + kernel)
        }
        return out.isEmpty ? nil : out
    }
}
