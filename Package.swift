// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "salkku",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "salkku", targets: ["salkku"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        .package(url: "https://github.com/apple/swift-configuration", from: "1.4.0"),
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // GET /docs: the spec read as YAML, the reference page rendered from templates.
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        // jansson parses request bodies strictly (duplicate keys, UTF-8, positions of errors).
        .systemLibrary(
            name: "CJansson",
            pkgConfig: "jansson",
            providers: [.apt(["libjansson-dev"])]
        ),
        .target(name: "SalkkuCore"),
        // The OpenAPI contract lives in openapi/ and is served as written, so it has one copy.
        .target(name: "SalkkuSpec", path: "openapi", resources: [.copy("openapi.yaml")]),
        // The response writer appends to one buffer owned by one encoding at a time; the runtime's
        // exclusivity checks on every append were a tenth of its time (see bench/).
        .target(name: "SalkkuJSON", dependencies: ["SalkkuCore", "CJansson"],
                swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]),
        // Imports and exports: CSV and NDJSON rows of each importable type, the columns derived from the fields types.
        .target(name: "SalkkuExchange", dependencies: ["SalkkuCore", "SalkkuJSON", .product(name: "CSV", package: "CSV.swift")]),
        .target(
            name: "SalkkuStore",
            dependencies: [
                "SalkkuCore",
                "SalkkuJSON",
                "SalkkuExchange",
                .product(name: "GRDB", package: "GRDB.swift"),
                // SQLite's C API, to read the hottest rows without GRDB's generic conversions.
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                // Transaction durations, measured for whichever metrics backend the API gives the store.
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ]
        ),
        // The demo and national data sets: written through the store's write path, used by the CLI and the tests.
        .target(
            name: "SalkkuDemo",
            dependencies: ["SalkkuCore", "SalkkuStore", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .target(
            name: "SalkkuAPI",
            dependencies: [
                "SalkkuCore",
                "SalkkuJSON",
                "SalkkuExchange",
                "SalkkuStore",
                "SalkkuSpec",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                // Graceful shutdown answers open change-feed waits at once.
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                // A body that stops short or a chunk size that does not parse is the client's fault: 400, not 500.
                .product(name: "NIOHTTP1", package: "swift-nio"),
                // `serve`'s settings: flags, then SALKKU_* environment variables, then defaults.
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "CompressNIO", package: "compress-nio"),
                // Weak ETags of lists and reports are digests of the answer.
                .product(name: "Crypto", package: "swift-crypto"),
                // GET /metrics on a listener of its own, in Prometheus's text format.
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),
        .executableTarget(
            name: "salkku",
            dependencies: [
                "SalkkuAPI",
                "SalkkuCore",
                "SalkkuStore",
                "SalkkuDemo",
                "SalkkuExchange",
                "SalkkuJSON",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                // `serve` runs the API and the metrics listener together.
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(name: "SalkkuCoreTests", dependencies: ["SalkkuCore"]),
        .testTarget(name: "SalkkuJSONTests", dependencies: ["SalkkuJSON"]),
        .testTarget(name: "SalkkuExchangeTests", dependencies: ["SalkkuExchange", "SalkkuJSON", "SalkkuCore"]),
        .testTarget(
            name: "SalkkuStoreTests",
            dependencies: ["SalkkuStore", "SalkkuDemo", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "SalkkuAPITests",
            dependencies: [
                "SalkkuAPI",
                "SalkkuStore",
                "SalkkuDemo",
                "SalkkuExchange",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
    ]
)
