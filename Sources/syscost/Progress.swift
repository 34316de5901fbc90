import CSysCost
import Foundation
import SysCost
import SysCostModel

/// SIGINT and SIGTERM ask the runner to stop after the current batch; the report keeps what
/// was measured.
enum StopSignals {
    static func install() {
        sc_stop_reset()
        var action = sigaction()
        action.__sigaction_handler.sa_handler = sc_stop_handler
        sigemptyset(&action.sa_mask)
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for signal in [SIGINT, SIGTERM] {
            sigaction(signal, &action, nil)
            sigaddset(&unblock, signal)
        }
        // A parent may have started us with them blocked.
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
    }

    /// Sleeps until `due`, waking at least every 200 ms to see whether SIGINT or SIGTERM came;
    /// false when one did (the watch's confirmation wait, calibrate's spacing).
    static func wait(until due: Date) -> Bool {
        while Date() < due {
            if sc_stop_signal() != 0 { return false }
            usleep(UInt32(min(200_000, max(1_000, due.timeIntervalSinceNow * 1e6))))
        }
        return sc_stop_signal() == 0
    }
}

/// Progress on stderr. Each phase gets a line as it begins. On a terminal, "[12/540]
/// syscall/read/raw  ETA 4s" on one line, at most ten times a second; elsewhere (a CI log, a
/// test waiting for the run to reach a state) a line when the first round is done, at each
/// quarter of the planned rounds, and at least every 30 s: a log's first screen stays the
/// run's, and a long run still shows it is alive.
final class ProgressReporter {
    let terminal: Bool
    private var last = Date.distantPast
    private var reportedRound = 0

    init(terminal: Bool) { self.terminal = terminal }

    func phase(_ phase: RunPhase) {
        let text: String
        switch phase {
        case .warmingUp(let ms): text = "warming up the CPU for \(Format.count(ms)) ms"
        case .preparing(let n): text = "preparing \(n) benchmark\(n == 1 ? "" : "s") (checks against libc, calibration)"
        case .measuring(let n, let rounds, let span, let cpu):
            let spread = span.map { String(format: "at least %d rounds spread over at least %g s", rounds, $0) } ?? "\(rounds) rounds"
            text = "measuring \(n) benchmark\(n == 1 ? "" : "s") in \(spread) on CPU \(cpu)"
        case .counting: text = "counting events in batches of their own"
        case .timingSingleCalls: text = "timing single calls"
        }
        clear()
        StandardError.write(Data("syscost: \(text)\n".utf8))
    }

    func update(_ p: RunProgress) {
        if !terminal {
            guard p.round > reportedRound else { return }
            let quarter = max(1, p.rounds / 4)
            let now = Date()
            guard p.round == 1 || p.round % quarter == 0 || now.timeIntervalSince(last) >= 30 else { return }
            reportedRound = p.round
            last = now
            let of = p.rounds > 0 ? "/\(p.rounds)\(p.atLeast ? "+" : "")" : ""
            StandardError.write(Data("syscost: round \(p.round)\(of) done, ETA \(Int(p.etaSeconds.rounded(.up))) s\n".utf8))
            return
        }
        let now = Date()
        guard now.timeIntervalSince(last) >= 0.1 || p.done == p.total else { return }
        last = now
        let line = "\r\u{1B}[K[\(p.done)/\(p.total)] \(p.id)  ETA \(Int(p.etaSeconds.rounded(.up)))s"
        StandardError.write(Data(line.utf8))
    }

    func clear() { if terminal { StandardError.write(Data("\r\u{1B}[K".utf8)) } }
}

/// Progress on stderr for commands that read and tabulate many reports: silent for a quick
/// command, then, once one has taken a second, "syscost: reading reports 120/500" at most once
/// a second (in place on a terminal, a line each elsewhere). Callable from any thread.
final class StepProgress: @unchecked Sendable {
    private let terminal: Bool
    private let started = Date()
    private var last = Date.distantPast
    private var shown = false
    private let lock = NSLock()

    init(terminal: Bool = isatty(STDERR_FILENO) == 1) { self.terminal = terminal }

    func step(_ what: String, _ done: Int, _ total: Int) {
        lock.lock(); defer { lock.unlock() }
        let now = Date()
        guard now.timeIntervalSince(started) >= 1, now.timeIntervalSince(last) >= 1 || (terminal && done == total) else { return }
        last = now
        shown = true
        let text = "syscost: \(what) \(done)/\(total)"
        StandardError.write(Data((terminal ? "\r\u{1B}[K" + text : text + "\n").utf8))
    }

    /// A phase that has no count ("writing the page").
    func phase(_ what: String) {
        lock.lock(); defer { lock.unlock() }
        guard Date().timeIntervalSince(started) >= 1 else { return }
        shown = true
        StandardError.write(Data(((terminal ? "\r\u{1B}[K" : "") + "syscost: \(what)\n").utf8))
    }

    /// A line that is always said (what a command did besides its output), on its own line.
    func note(_ what: String) {
        lock.lock(); defer { lock.unlock() }
        StandardError.write(Data(((terminal && shown ? "\r\u{1B}[K" : "") + "syscost: \(what)\n").utf8))
    }

    func finish() {
        lock.lock(); defer { lock.unlock() }
        if terminal && shown { StandardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}

extension StepProgress {
    /// Every run under `paths` as a table of many runs keeps it (`RunTimings`, `filter`
    /// applied), saying how far the reading has got; skipped files get a line each.
    func readRuns(_ paths: [String], filter: ResultFilter) throws -> [(path: String, run: RunTimings)] {
        try ReportLoader.collect(paths, detail: .timings, onSkip: { StandardError.write(Data((Escape.terminal($0) + "\n").utf8)) },
                                 onProgress: { self.step("reading reports", $0, $1) }, keeping: { RunTimings(filter.apply($0)) })
            .map { (path: $0.path, run: $0.kept) }
    }
}
