// swift-tools-version:6.0
import PackageDescription

// The targets, from the bottom up (README "Architecture"):
//   SysCostStatistics  order statistics and their intervals, the exact quantile law, the
//                      bootstraps and their one resampling policy, the MDE; depends on nothing
//   SysCostModel     the report's types (plain data: no suite), untrusted input and output; no C
//   SysCostSuites    each suite's descriptor in a folder of its own: ids, derived figures, report
//                    sections, what varies by run, prices; the registry; no C
//   SysCostAnalysis  compare and history: verdicts, MDE, the completeness of a gate; no C
//   SysCostRender    documents of runs, comparisons and histories in text, Markdown, CSV, JSON, HTML; no C
//   SysCost          measuring: the host, setup, the suites' benchmarks, the runner, counters (C, libpfm4)
//   syscost          the command line
let package = Package(
    name: "syscost",
    products: [
        .executable(name: "syscost", targets: ["syscost"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.1.0"),
    ],
    targets: [
        // The only C: inline-asm syscall stubs, TSC reads and the tight batch loops.
        // Always optimised, so a debug build measures the same loops as a release build; every
        // function starts on a 64-byte boundary, so a loop's placement in the cache lines and
        // branch predictors is the same in every build whatever the Swift code around it (seen
        // here: getppid/ENOSYS moved 3.6% between two builds whose loops differed only in
        // address modulo 64). unsafeFlags: this package is a tool and declares no library product.
        .target(
            name: "CSysCost",
            cSettings: [.unsafeFlags(["-O2", "-fno-omit-frame-pointer", "-falign-functions=64"])]
        ),
        // libpfm4, which turns event names into perf_event_attr encodings.
        .systemLibrary(name: "CPfm", providers: [.apt(["libpfm4-dev"])]),
        .target(name: "SysCostStatistics"),
        .target(name: "SysCostModel", dependencies: ["SysCostStatistics"]),
        .target(name: "SysCostSuites", dependencies: ["SysCostStatistics", "SysCostModel"]),
        .target(name: "SysCostAnalysis", dependencies: ["SysCostStatistics", "SysCostModel", "SysCostSuites"]),
        .target(name: "SysCostRender", dependencies: ["SysCostStatistics", "SysCostModel", "SysCostSuites", "SysCostAnalysis"]),
        .target(
            name: "SysCost",
            dependencies: ["CSysCost", "CPfm", "SysCostStatistics", "SysCostModel", "SysCostSuites", .product(name: "Histogram", package: "hdrhistogram-swift")]
        ),
        .executableTarget(
            name: "syscost",
            dependencies: [
                "SysCost", "SysCostStatistics", "SysCostModel", "SysCostSuites", "SysCostAnalysis", "SysCostRender",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The tests' helpers, one of each: the process runner (both pipes drained, a timeout),
        // the temporary folder, the package root, the Synthetic reports. No C, no libpfm4.
        .target(
            name: "SysCostTestSupport",
            dependencies: ["SysCostStatistics", "SysCostModel", "SysCostAnalysis"],
            path: "Tests/SysCostTestSupport"
        ),
        // The tiers (docs/testing.md): unit = the statistics and the analysis targets (pure, in
        // parallel); cli = SysCostCLITests (hostile input, failed writes, signals: no figure
        // asserted, in parallel); measuring = SysCostTests (one test at a time); integration =
        // the .deb, the fleet, the kernel matrix and the docs' commands (SysCostIntegrationTests).
        // The statistics on their own: nothing else of syscost linked.
        .testTarget(name: "SysCostStatisticsTests", dependencies: ["SysCostStatistics"]),
        // compare, history and report: built and tested without the C targets or libpfm4.
        .testTarget(
            name: "SysCostAnalysisTests",
            dependencies: ["SysCostStatistics", "SysCostModel", "SysCostSuites", "SysCostAnalysis", "SysCostRender", "SysCostTestSupport"],
            exclude: ["Snapshots"]
        ),
        .testTarget(
            name: "SysCostTests",
            dependencies: ["SysCost", "SysCostStatistics", "SysCostModel", "SysCostSuites", "SysCostAnalysis", "SysCostRender", "CSysCost", "syscost", "SysCostTestSupport"]
        ),
        // The CLI against hostile input, failed writes and signals: nothing asserted of a figure.
        .testTarget(
            name: "SysCostCLITests",
            dependencies: ["SysCost", "SysCostStatistics", "SysCostModel", "SysCostSuites", "SysCostAnalysis", "SysCostRender", "syscost", "SysCostTestSupport"]
        ),
        .testTarget(
            name: "SysCostIntegrationTests",
            dependencies: ["SysCost", "SysCostModel", "SysCostSuites", "SysCostAnalysis", "SysCostRender", "syscost", "SysCostTestSupport"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
