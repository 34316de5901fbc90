import CSysCost
import Foundation
@testable import SysCost
@testable import SysCostModel
@testable import SysCostSuites
@testable import SysCostAnalysis
@testable import SysCostRender
import Testing
import SysCostTestSupport

@Suite struct CatalogTests {
    /// One registry fixes the order of suites: the catalog lists them as `Suites.all` does,
    /// and every descriptor has benchmarks (and no benchmark a suite without one).
    @Test func theSuitesComeInTheRegistrysOrder() {
        var seen: [SuiteName] = []
        for b in Catalog.all() where seen.last != b.id.suite { seen.append(b.id.suite) }
        #expect(seen == Suites.all.map(\.suite), "\(seen)")
    }

    /// Every entry's raw call is checked against libc (its check throws on a mismatch).
    @Test(arguments: Catalog.all().map(\.id))
    func rawCallMatchesLibc(id: BenchmarkID) throws {
        let benchmark = try #require(Catalog.all().first { $0.id == id })
        let fixture = try benchmark.prepare()
        // The loop must also run on the fixture without crashing.
        sc_time_batch(benchmark.loop, fixture.ctx, 3, UnsafeMutablePointer<sc_batch_time>.allocate(capacity: 1))
    }

    @Test func rawGetppidIsLibcGetppid() {
        let raw = sc_syscall0(Int(SYS_getppid))
        #expect(raw == Int(getppid()))
        #expect(sc_syscall0(SC_INVALID_SYSCALL) == -Int(ENOSYS))
        // A failing raw call returns -errno where libc returns -1 and sets errno.
        #expect(sc_syscall1(Int(SYS_close), -1) == -Int(EBADF))
    }

    /// Every id a suite's descriptor names for pricing is a benchmark of the catalog, with as
    /// many calls per op as the benchmark says it makes; every suite measured has a descriptor.
    @Test func everyPriceIDIsInTheCatalog() throws {
        let catalog = Dictionary(Catalog.all().map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for (name, rule) in Pricing.catalog {
            let benchmark = try #require(catalog[rule.id], "\(name) is priced by \(rule.id), which the catalog does not have")
            #expect(benchmark.syscallsPerOp >= rule.callsPerOp, "\(name): \(rule.id) makes \(benchmark.syscallsPerOp) calls per op")
        }
        for (name, id) in Pricing.vdso { #expect(catalog[id] != nil, "\(name) is priced by \(id), which the catalog does not have") }
        for id in [Pricing.floor, Pricing.processSwitch] { #expect(catalog[id] != nil, "\(id)") }
        for suite in Set(catalog.keys.map(\.suite)) { #expect(Suites.descriptor(suite) != nil, "suite \(suite) has no descriptor") }
        for descriptor in Suites.all { #expect(catalog.keys.contains { $0.suite == descriptor.suite }, "\(descriptor.suite) measures nothing") }
    }

    @Test func catalogCoversTheSixCategories() {
        let all = Catalog.all()
        #expect(all.count >= 30)
        #expect(Set(all.map(\.id)).count == all.count, "ids are unique")
        #expect(Set(all.map(\.category)) == Set(Category.allCases))
        #expect(all.contains { $0.id == "syscall/invalid/raw" })
        for variant in ["getppid", "read", "write", "clock_gettime"] {
            #expect(all.contains { $0.id == BenchmarkID(.syscall, variant, "libc") }, "libc variant of \(variant)")
        }
    }

    @Test func patternsSelectByGlobAndPrefix() throws {
        #expect(try Catalog.select(["syscall/*/libc"]).map(\.id.name).sorted()
                == ["clock_gettime", "epoll_wait", "getppid", "openat-close", "poll", "pread", "read", "write"])
        #expect(try Catalog.select(["*/libc"]).count == 8 + 1 + VDSOSuite.calls.count)  // lifecycle/posix-spawn/libc
        #expect(try Catalog.select(["syscall/*/libc-threaded"]).filter { $0.id.isForm(SyscallDescriptor.libcThreaded) }.count
                == SyscallSuite.cancellationPointCalls.count)
        #expect(try Catalog.select(["syscall"]).count == SyscallSuite.all.count)
        #expect(try Catalog.select(["vdso"]).count == 3 * VDSOSuite.calls.count)
        #expect(try Catalog.select(["timer/rdtsc"]).map(\.id) == ["timer/rdtsc"])
        #expect(try Catalog.select(["syscall/getppid/raw"]).map(\.id) == ["syscall/getppid/raw"])
        #expect(try Catalog.select([]).count == Catalog.all().filter(\.inDefaultMatrix).count)
        #expect(try Catalog.select(["lifecycle/fork/parent@1024M"]).count == 1)
    }

    @Test func unknownPatternNamesTheClosestIds() {
        #expect {
            try Catalog.select(["syscall/getppid/rwa"])
        } throws: { error in
            guard case .usage(let message) = error as? SysCostError else { return false }
            return message.contains("no benchmark matches 'syscall/getppid/rwa'") && message.contains("syscall/getppid/raw")
        }
    }

    /// A benchmark whose check fails is reported as failed and never timed.
    @Test func failedCheckIsReportedNotTimed() throws {
        let broken = Benchmark("test/broken/raw", category: .processControl,
                               description: "always fails its check", loop: sc_loop_getppid_raw,
                               check: { _ in throw CheckFailure("raw returned 1, libc 2") })
        let good = try #require(Catalog.all().first { $0.id == "syscall/getppid/raw" })
        let options = RunPlan(repetitions: 2, minBatchTimeMs: 0.5, warmupMs: 0)
        let report = try Runner(plan: options).run([broken, good])
        let failed = try #require(report.results.first { $0.id == "test/broken/raw" })
        #expect(failed.status == .failed)
        #expect(failed.samples.isEmpty)
        #expect(failed.error == "raw returned 1, libc 2")
        let ok = try #require(report.results.first { $0.id == "syscall/getppid/raw" })
        #expect(ok.status == .ok)
        #expect(ok.samples.count == 2)
    }
}
