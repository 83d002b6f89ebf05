// swift-tools-version: 6.1
import PackageDescription

/// Engram: a database server for the long-term memory of AI agents.
///
/// Layers (arrows point down only), see `Sources/Engram/Engram.docc/Architecture.md`:
/// `CLMDB`/`CBLAS` shims → `EngramCore` → `EngramStorage` → `EngramVector`, `EngramText`
/// → `EngramFunctions` → `EngramServer`; `EngramProtocol` (Core only) is shared by the
/// server and `EngramClient`; `Engram` re-exports; `engram` is the CLI.
let package = Package(
    name: "Engram",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Engram", targets: ["Engram"]),
        .library(name: "EngramClient", targets: ["EngramClient"]),
        .executable(name: "engram", targets: ["engram"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // System libraries.
        .systemLibrary(name: "CLMDB", pkgConfig: "lmdb", providers: [.apt(["liblmdb-dev"])]),
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        // Distance kernels with run-time CPU dispatch (AVX-512, AVX2+FMA, plain C).
        .target(name: "CVectorKernels", cSettings: [.unsafeFlags(["-O3"])]),

        // The engine.
        .target(
            name: "EngramCore",
            dependencies: [.product(name: "OrderedCollections", package: "swift-collections")]
        ),
        .target(
            name: "EngramStorage",
            dependencies: ["EngramCore", "CLMDB", .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "EngramVector",
            dependencies: ["EngramCore", "EngramStorage", "CBLAS", "CVectorKernels"]
        ),
        .target(
            name: "EngramText",
            dependencies: ["EngramCore", "EngramStorage"]
        ),

        // The function catalogue.
        .target(
            name: "EngramFunctions",
            dependencies: [
                "EngramCore", "EngramStorage", "EngramVector", "EngramText",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // The wire.
        .target(
            name: "EngramProtocol",
            dependencies: ["EngramCore", .product(name: "NIOCore", package: "swift-nio")]
        ),
        .target(
            name: "EngramServer",
            dependencies: [
                "EngramCore", "EngramStorage", "EngramVector", "EngramText", "EngramFunctions", "EngramProtocol",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "EngramClient",
            dependencies: [
                "EngramCore", "EngramProtocol",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),

        // Umbrella and CLI.
        .target(
            name: "Engram",
            dependencies: ["EngramCore", "EngramStorage", "EngramVector", "EngramText", "EngramFunctions"]
        ),
        .executableTarget(
            name: "engram",
            dependencies: [
                "Engram", "EngramServer", "EngramClient",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),

        // Tests: one target per library target, plus integration tests.
        .testTarget(name: "EngramCoreTests", dependencies: ["EngramCore", "EngramTestSupport"]),
        .target(name: "EngramTestSupport", path: "Tests/EngramTestSupport"),
        .testTarget(name: "EngramStorageTests", dependencies: ["EngramStorage", "EngramTestSupport", "engram"]),
        .testTarget(name: "EngramVectorTests", dependencies: ["EngramVector", "EngramTestSupport", "engram"]),
        .testTarget(name: "EngramTextTests", dependencies: ["EngramText", "EngramTestSupport", "engram"]),
        .testTarget(name: "EngramFunctionsTests", dependencies: ["EngramFunctions"], exclude: ["Fixtures"]),
        .testTarget(
            name: "EngramProtocolTests",
            dependencies: ["EngramProtocol", .product(name: "NIOEmbedded", package: "swift-nio")]
        ),
        .testTarget(name: "EngramServerTests", dependencies: ["EngramServer", "EngramClient", "EngramTestSupport"]),
        .testTarget(name: "EngramIntegrationTests", dependencies: ["Engram", "EngramClient", "EngramTestSupport", "engram"]),

        // Benchmarks: `swift package benchmark` suites, and drivers for tools/bench/.
        .executableTarget(
            name: "StorageBench",
            dependencies: ["EngramCore", "EngramStorage"],
            path: "Benchmarks/StorageBench"
        ),
        .executableTarget(
            name: "VectorBench",
            dependencies: ["EngramCore", "EngramStorage", "EngramVector"],
            path: "Benchmarks/VectorBench"
        ),
        .executableTarget(
            name: "TextBench",
            dependencies: ["EngramCore", "EngramStorage", "EngramText"],
            path: "Benchmarks/TextBench"
        ),
        .executableTarget(
            name: "StorageBenchmarks",
            dependencies: ["EngramStorage", .product(name: "Benchmark", package: "benchmark")],
            path: "Benchmarks/StorageBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
