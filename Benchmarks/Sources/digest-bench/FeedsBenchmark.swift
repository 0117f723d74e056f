import ArgumentParser
import Feeds
import Foundation

/// `digest-bench feeds FILE`: parse one large feed document.
struct FeedsBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feeds",
        abstract: "Times FeedParser().parse on a feed document read beforehand."
    )

    @Argument(help: "The feed file (Benchmarks/gen_feed.py writes a 20 MB RSS 2.0 one).")
    var file: String

    func run() throws {
        let data = try readFile(file)
        // The default limits keep 20,000 items; allow every item so the counts compare with feedparser's.
        let parser = FeedParser(limits: FeedLimits(maximumBytes: 256 << 20, maximumItems: 1_000_000))
        let (feed, measurement) = try Timing.of { try parser.parse(data) }
        try BenchReport(
            benchmark: "feeds",
            measurement: measurement,
            details: [
                "items": Double(feed.items.count),
                "problems": Double(feed.problems.count),
                "bytes": Double(data.count),
                "megabytesPerSecond": Double(data.count) / 1_000_000 / measurement.seconds,
            ]
        ).emit()
    }
}
