import ArgumentParser
import CSysCost
import Foundation
import SysCost
import SysCostModel
import SysCostSuites
import SysCostRender

struct ProfileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile",
        abstract: "Run a command and say what kernel entries and process switches cost it: every system call counted by the kernel (no ptrace), priced from this machine.",
        usage: "syscost profile [--cpu N] [--prices REPORT] [--format F] [--output FILE] -- COMMAND [ARGS…]",
        discussion: """
            The command's system calls are counted by the kernel's syscall tracepoints (perf_event_open \
            in counting mode, inherited by its children and threads; tracefs is mounted when it is not), \
            with its context switches, CPU migrations, faults and task-clock, and cycles and instructions \
            where a PMU exists. Prices come from --prices (a saved run of this machine and kernel), else \
            the newest such run under --results-dir, else a short measurement of exactly the catalog \
            entries the command used, the ENOSYS floor and a same-CPU process switch. The command's \
            stdin, stdout and stderr are its own; the report goes to stderr (or --output). A SIGINT or \
            SIGTERM sent to syscost is passed on to the command, and the counts until then are reported. \
            Exit status: the command's (128 + n for a signal); 127 when it is not found, 126 when it \
            cannot run; 2 bad usage.
            """)

    @Option(help: "Pin the command (and its children) to this CPU.")
    var cpu: Int?

    @Option(help: ArgumentHelp("Price the calls from this saved run (of this machine and kernel).", valueName: "report"))
    var prices: String?

    @Option(name: .customLong("results-dir"), help: ArgumentHelp("Where saved runs are looked for (default results).", valueName: "dir"))
    var resultsDir = "results"

    @OptionGroup var output: FormatOptions

    @Option(name: .customLong("output"), help: ArgumentHelp("Write the report here instead of stderr.", valueName: "file"))
    var outputFile: String?

    /// The command, after `--` (ArgumentParser keeps the `--`; it is dropped here).
    @Argument(parsing: .allUnrecognized, help: "-- COMMAND [ARGS…]")
    var command: [String] = []

    var argv: [String] { command.first == "--" ? Array(command.dropFirst()) : command }

    func validate() throws {
        try MeasureOptions.validate(cpu: cpu)
        guard !argv.isEmpty else { throw ValidationError("no command: syscost profile [options] -- COMMAND [ARGS…]") }
        if command.first != "--", let option = command.first(where: { $0.hasPrefix("-") }) {
            throw ValidationError("unknown option '\(option)'; the command and its arguments go after --")
        }
    }

    func run() throws {
        let format = try output.resolve(ProfileReport.formats, default: .table)
        if let cpu { _ = try Runner.chooseCPU(cpu) }
        try CommandOutput.check(outputFile)
        let ignored = Self.passSignalsOn()
        // Prices first: after the command its counters are still being released, and every
        // call takes the kernel's slow path until they are. So is an earlier profile's: a
        // measurement waits for that to end.
        let environment = EnvironmentCapture.capture()
        var book: ProfilePrices.Book?, pricesUnavailable: String?
        do {
            book = try ProfilePrices.book(file: prices, resultsDir: resultsDir, environment: environment, cpu: cpu) { n in
                if CountingOverhead.blocked() != nil {
                    StandardError.write(Data("syscost: waiting for an earlier profile's counters to be released before measuring prices\n".utf8))
                    while CountingOverhead.blocked() != nil && sc_stop_signal() == 0 { usleep(100_000) }
                }
                StandardError.write(Data("syscost: no saved run of this machine and kernel under \(resultsDir): measuring \(n) catalog entries for prices first\n".utf8))
            }
        } catch let error as SysCostError where prices == nil {
            pricesUnavailable = "\(error)"
        }
        var report = try Profiler(command: argv, cpu: cpu, ignored: ignored, environment: environment).run()
        report.prices = book.flatMap { Pricing.prices(from: $0.report, source: $0.source, for: report.syscalls.map(\.name)) }
        report.pricesUnavailable = pricesUnavailable ?? (report.prices == nil ? book.map { "\($0.source) has no ENOSYS floor (\(Pricing.floor))" } : nil)
        let text = try report.export(as: format)
        if let outputFile {
            try ResultWriter.write(Data(text.utf8), to: outputFile, fallbackName: "profile." + format.rawValue)
        } else {
            StandardError.write(Data(text.utf8))
        }
        Foundation.exit(report.exit.code)
    }

    /// SIGINT and SIGTERM are noted, not fatal, while the command runs: one sent to syscost
    /// alone is passed on to the command; one from the terminal reached the command already.
    /// Returns those syscost was started with ignored (the command gets them ignored too).
    static func passSignalsOn() -> Set<Int32> {
        var ignored: Set<Int32> = []
        sc_stop_reset()
        var action = sigaction()
        action.__sigaction_handler.sa_sigaction = sc_stop_info_handler
        action.sa_flags = SA_SIGINFO
        sigemptyset(&action.sa_mask)
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for signal in [SIGINT, SIGTERM] {
            var old = sigaction()
            sigaction(signal, &action, &old)
            if unsafeBitCast(old.__sigaction_handler.sa_handler, to: Int.self) == 1 { ignored.insert(signal) }  // SIG_IGN
            sigaddset(&unblock, signal)
        }
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        return ignored
    }
}
