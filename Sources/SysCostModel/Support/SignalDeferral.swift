import Foundation
import Synchronization

/// Holds SIGINT, SIGTERM and SIGHUP back while a temporary file exists, so that no signal
/// leaves one behind: a signal that arrives meanwhile is noted, and raised again once the
/// file has been renamed into place or removed, under whatever disposition the process had
/// (the default ends it; `run`'s handler notes a stop).
///
/// Blocking the signals with a mask would not do: a process-directed signal goes to any
/// thread that does not block it, and Dispatch's threads never do. Calls may overlap (from
/// several threads, or nested): the handlers are swapped by the first and restored by the
/// last, and a noted signal is raised when the last one ends.
public enum SignalDeferral {
    public static let signals = [SIGINT, SIGTERM, SIGHUP]

    /// Signals noted while deferred, as bits (1 << n).
    private static let noted = Atomic<UInt64>(0)

    private struct Held {
        var depth = 0
        var previous = sigaction()
    }

    private static let held = Mutex<[Int32: Held]>([:])

    /// Whether a signal has been noted and waits to be raised: a long write checks it between
    /// pieces and gives up (`TextSink`), so a stop is acted on within a piece, not at the end.
    public static var pending: Bool { noted.load(ordering: .relaxed) != 0 }

    @discardableResult
    public static func during<T>(_ signals: [Int32] = signals, _ body: () throws -> T) rethrows -> T {
        enter(signals)
        defer { leave(signals) }
        return try body()
    }

    private static func enter(_ signals: [Int32]) {
        held.withLock { state in
            for signal in signals {
                var entry = state[signal] ?? Held()
                if entry.depth == 0 {
                    sigaction(signal, nil, &entry.previous)
                    // An ignored signal stays ignored.
                    if unsafeBitCast(entry.previous.__sigaction_handler.sa_handler, to: Int.self) != 1 {
                        var action = sigaction()
                        action.__sigaction_handler.sa_handler = { n in
                            SignalDeferral.noted.bitwiseOr(UInt64(1) << UInt64(n & 63), ordering: .relaxed)
                        }
                        sigemptyset(&action.sa_mask)
                        sigaction(signal, &action, nil)
                    }
                }
                entry.depth += 1
                state[signal] = entry
            }
        }
    }

    private static func leave(_ signals: [Int32]) {
        let raised: [Int32] = held.withLock { state in
            var raised: [Int32] = []
            for signal in signals {
                guard var entry = state[signal] else { continue }
                entry.depth -= 1
                state[signal] = entry
                guard entry.depth == 0 else { continue }
                sigaction(signal, &entry.previous, nil)
                let bit = UInt64(1) << UInt64(signal & 63)
                if noted.bitwiseAnd(~bit, ordering: .relaxed).oldValue & bit != 0 { raised.append(signal) }
            }
            return raised
        }
        for signal in raised { raise(signal) }
    }
}
