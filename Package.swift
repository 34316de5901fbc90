// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "syscost",
    products: [
        .executable(name: "syscost", targets: ["syscost"]),
        .library(name: "SysCost", targets: ["SysCost"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.1.0"),
    ],
    targets: [
        // The only C: inline-asm syscall stubs, TSC reads and the tight batch loops.
        // Always optimised, so a debug build measures the same loops as a release build.
        .target(
            name: "CSysCost",
            cSettings: [.unsafeFlags(["-O2", "-fno-omit-frame-pointer"])]
        ),
        // libpfm4, which turns event names into perf_event_attr encodings.
        .systemLibrary(name: "CPfm", providers: [.apt(["libpfm4-dev"])]),
        .target(
            name: "SysCost",
            dependencies: ["CSysCost", "CPfm", .product(name: "Histogram", package: "hdrhistogram-swift")]
        ),
        .executableTarget(
            name: "syscost",
            dependencies: [
                "SysCost",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "SysCostTests",
            dependencies: ["SysCost", "CSysCost", "syscost"]
        ),
    ],
    swiftLanguageModes: [.v5]
)
