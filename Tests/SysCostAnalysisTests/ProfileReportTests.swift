import Foundation
import SysCostModel
import SysCostSuites
import SysCostStatistics
import SysCostRender
import Testing
import SysCostTestSupport

/// A profile's report side, with no C: prices from a run, the summary's sentences, formats.
@Suite struct ProfileReportTests {
    static let run: RunReport = {
        let root = PackageRoot.url
        return try! ReportLoader.load(root.appendingPathComponent("results/vm/6.18.44-fc-v595/20261129T073046Z.json").path)
    }()

    static func profile(_ calls: [String: UInt64], switches: Double = 10) -> ProfileReport {
        var p = ProfileReport(
            command: ["prog", "--flag", "a b"], environment: run.environment, startedAt: "2026-11-29T00:00:00Z", wallSeconds: 1,
            userSeconds: 0.25, systemSeconds: 0.5, exit: .init(status: 0, signal: nil), interrupted: false,
            syscalls: calls.map { .init(name: $0.key, calls: $0.value) }.sorted { $0.calls > $1.calls }, syscallsUnavailable: nil,
            tracefsMounted: nil, rusage: .init(voluntarySwitches: 3, involuntarySwitches: 4, minorFaults: 100, majorFaults: 0),
            counters: [.contextSwitches: .ok(switches)])
        p.prices = Pricing.prices(from: run, source: "run.json", for: Array(calls.keys))
        return p
    }

    @Test func callsArePricedFromTheCatalogOrAtTheFloor() throws {
        let p = Self.profile(["getppid": 1_000_000, "clock_gettime": 1000, "mmap": 10])
        let prices = try #require(p.prices)
        let byID = Self.run.results.byID
        #expect(prices.floorNs == byID[SyscallDescriptor.enosys]?.undisturbed)
        #expect(prices.prices["getppid"]?.basis == .catalog(SyscallDescriptor.getppid))
        #expect(prices.prices["getppid"]?.ns == byID[SyscallDescriptor.getppid]?.undisturbed)
        #expect(prices.prices["mmap"] == SyscallPrice(ns: prices.floorNs, basis: .entryOnly))
        #expect(prices.prices["clock_gettime"]?.vdso == BenchmarkID(.vdso, "clock_gettime-monotonic", "vdso"))
        // A switch is priced net of the pipe's own calls (those are priced as calls).
        let net = try #require(byID[CtxSwitchDescriptor.pipeProcess]?.switchCost)
        #expect(prices.switchNs == (net.net?.value ?? net.netNsPerSwitch))
        #expect(p.rows.map(\.name) == ["getppid", "clock_gettime", "mmap"])  // dearest first
    }

    @Test func theSummaryPutsSwitchesBesideEntries() throws {
        let p = Self.profile(["getppid": 1_000_000, "clock_gettime": 1000, "mmap": 10], switches: 200_000)
        let text = try (p).export(as: .table)
        #expect(text.contains("syscost profile: prog --flag 'a b' (exit 0"), "\(text)")
        #expect(text.contains("privilege switches: 1001010 calls ×"), "\(text)")
        #expect(text.contains("process switches: 200000 (the kernel's context-switch counter) ×"), "\(text)")
        #expect(text.contains("clock_gettime was made 1000 times as a syscall although it has a vDSO path"), "\(text)")
        #expect(text.contains("entry only (body not measured)"))
        for format in ProfileReport.formats { #expect(!(try (p).export(as: format)).isEmpty) }
        #expect(throws: (any Error).self) { try p.export(as: .openmetrics) }
        let html = try (Self.profile(["<script>": 1])).export(as: .html)
        #expect(!html.contains("<script>") && html.contains("&lt;script&gt;"))
        #expect(try (Self.profile(["=cmd|": 1])).export(as: .csv).contains("'=cmd|"))
    }

    @Test func theJSONRoundTripsAndOtherSchemasAreRefused() throws {
        let p = Self.profile(["read": 5])
        let json = try (p).export(as: .json)
        #expect(try ProfileReport.decode(Data(json.utf8)) == p)
        let other = json.replacingOccurrences(of: ProfileReport.schemaVersion, with: "syscost.profile/9")
        #expect(throws: SysCostError.invalidReport("schema is 'syscost.profile/9', expected 'syscost.profile/1'")) {
            try ProfileReport.decode(Data(other.utf8))
        }
        #expect(p.exit.code == 0 && ProfileReport.Exit(status: nil, signal: 15).code == 143)
    }
}
