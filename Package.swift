// swift-tools-version: 6.1
import PackageDescription

/// Engram: a database server for the long-term memory of AI agents.
///
/// Layers (arrows point down only): the system-library shims `CLMDB` and `CBLAS`;
/// `EngramCore` (values, MessagePack, ids, errors); `EngramStorage` (LMDB, shards,
/// collections, indexes, group commit); the umbrella `Engram`; and the `engram` CLI.
/// See `Sources/Engram/Engram.docc/Architecture.md`.
let package = Package(
    name: "Engram",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Engram", targets: ["Engram"]),
        .executable(name: "engram", targets: ["engram"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .systemLibrary(name: "CLMDB", pkgConfig: "lmdb", providers: [.apt(["liblmdb-dev"])]),
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),

        .target(
            name: "EngramCore",
            dependencies: [.product(name: "OrderedCollections", package: "swift-collections")]
        ),
        .target(
            name: "EngramStorage",
            dependencies: ["EngramCore", "CLMDB", .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "Engram",
            dependencies: ["EngramCore", "EngramStorage"]
        ),
        .executableTarget(
            name: "engram",
            dependencies: [
                "Engram",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        .testTarget(name: "EngramCoreTests", dependencies: ["EngramCore"]),
        .testTarget(name: "EngramStorageTests", dependencies: ["EngramStorage", "engram"]),

        .executableTarget(
            name: "StorageBenchmarks",
            dependencies: [
                "EngramStorage",
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/StorageBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
