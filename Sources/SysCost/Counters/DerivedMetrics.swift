/// Figures derived from counters, present only when every input was counted.
public enum DerivedMetrics {
    public static func compute(_ counters: [String: CounterValue]) -> [String: Double]? {
        func value(_ name: String) -> Double? {
            guard let c = counters[name], c.status == .ok else { return nil }
            return c.perOp
        }
        var out: [String: Double] = [:]
        for (suffix, key) in [(":u", "ipc:u"), (":k", "ipc:k"), ("", "ipc")] {
            if let instructions = value("instructions" + suffix), let cycles = value("cycles" + suffix), cycles > 0 {
                out[key] = instructions / cycles
            }
        }
        if let user = value("cycles:u"), let kernel = value("cycles:k"), user + kernel > 0 {
            out["kernel-cycle-share"] = kernel / (user + kernel)
        }
        return out.isEmpty ? nil : out
    }
}
