// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "digest",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "digest", targets: ["digest"]),
        .library(name: "DigestKit", targets: ["DigestKit"]),
        .library(name: "ICalendar", targets: ["ICalendar"]),
        .library(name: "Feeds", targets: ["Feeds"]),
        .library(name: "MailMessage", targets: ["MailMessage"]),
        .library(name: "Curl", targets: ["Curl"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/JohnSundell/Ink", from: "0.6.0"),
        // CSV for `digest subscribers import`: RFC 4180 quoting, and a malformed quote is an error, not a guess.
        .package(url: "https://github.com/swiftcsv/SwiftCSV", exact: "0.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        // Hummingbird's own; named for the connection handlers of `digest serve` (timeouts).
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.25.0"),
    ],
    targets: [
        // libcurl, for HTTP fetching and SMTP sending; only `Curl` imports it.
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .target(name: "Curl", dependencies: ["CCurl"]),

        // libxml2's HTML parser, for sanitising feed HTML; only `Feeds` imports it.
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),

        // Helpers every module may use: the bounded cache, durable file writes, file locks, stable hashes, folding
        // and "did you mean" suggestions.
        .target(name: "DigestSupport", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),

        // Reusable standards: they know nothing of digests.
        .target(name: "ICalendar", dependencies: ["DigestSupport"]),
        .target(name: "CompiledMustache"),
        .target(name: "Feeds", dependencies: ["CLibXML2", "DigestSupport"]),
        // Deadlines, opening dates and budgets in Swedish and English funding-call text: heuristics, kept apart from
        // the standards Feeds reads.
        .target(name: "Deadlines", dependencies: ["Feeds", "DigestSupport"]),
        .target(
            name: "MailMessage",
            dependencies: [
                "DigestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),

        // The pipeline and the command line.
        .target(
            name: "DigestKit",
            dependencies: [
                "ICalendar", "Feeds", "Deadlines", "MailMessage", "Curl", "DigestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
                "CompiledMustache",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Ink", package: "Ink"),
                .product(name: "SwiftCSV", package: "SwiftCSV"),
            ]
        ),
        // The editor's preview server (`digest preview --serve`) and `digest serve`; only this module imports Hummingbird.
        .target(
            name: "DigestWeb",
            dependencies: [
                "DigestKit", "MailMessage",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "digest",
            dependencies: [
                "DigestKit", "DigestWeb", "DigestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Benchmarks against the Python peers (`make bench`); `make test` builds it but never runs it.
        .executableTarget(
            name: "digest-bench",
            dependencies: [
                "DigestKit", "ICalendar", "Feeds", "Deadlines", "MailMessage", "Curl", "DigestTesting",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/Sources/digest-bench"
        ),

        // What the tests share: a recording transport, a workspace builder, the seeded random generator (also the
        // benchmarks' generated data) and the runner of the reference programs.
        .target(name: "DigestTesting", dependencies: ["DigestKit"], path: "Tests/DigestTesting"),
        .testTarget(name: "DigestSupportTests", dependencies: ["DigestSupport", "DigestTesting"]),
        .testTarget(name: "CurlTests", dependencies: ["Curl", "DigestTesting"]),
        .testTarget(name: "ICalendarTests", dependencies: ["ICalendar", "DigestTesting"], exclude: ["Fixtures"]),
        .testTarget(
            name: "CompiledMustacheTests",
            dependencies: ["CompiledMustache", "DigestTesting", .product(name: "Mustache", package: "swift-mustache")]
        ),
        // The feed fixtures' funding calls are read by the deadline finder too.
        .testTarget(name: "FeedsTests", dependencies: ["Feeds", "Deadlines", "DigestTesting"], exclude: ["Fixtures"]),
        .testTarget(name: "DeadlinesTests", dependencies: ["Deadlines", "DigestTesting"]),
        .testTarget(
            name: "MailMessageTests",
            dependencies: [
                "MailMessage", "DigestTesting",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            exclude: ["Fixtures"]
        ),
        .testTarget(name: "DigestWebTests", dependencies: ["DigestWeb", "DigestKit", "DigestTesting"]),
        .testTarget(
            name: "DigestKitTests",
            dependencies: [
                "DigestKit", "Deadlines", "Curl", "DigestTesting", .product(name: "GRDB", package: "GRDB.swift"),
            ],
            exclude: ["Fixtures"]
        ),
    ]
)
