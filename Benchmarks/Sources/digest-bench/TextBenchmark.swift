import ArgumentParser
import Deadlines
import Feeds
import Foundation

/// `digest-bench text FILE`: the per-item text work of `digest collect` on a feed, on one thread.
struct TextBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "text",
        abstract: "Times HTMLText.plainText and DeadlineFinder.find on every item summary of a feed parsed beforehand."
    )

    @Argument(help: "The feed file (Benchmarks/gen_feed.py writes a 20 MB RSS 2.0 one).")
    var file: String

    @Option(help: "How many times the items are read; the fastest pass counts.")
    var passes = 3

    func run() throws {
        let parser = FeedParser(limits: FeedLimits(maximumBytes: 256 << 20, maximumItems: 1_000_000))
        let summaries = try parser.parse(readFile(file)).items.compactMap(\.summaryHTML)
        let finder = DeadlineFinder(timeZone: TimeZone(identifier: "Europe/Stockholm")!)
        var plain: [String] = []
        var plainBest: Timing?
        var findBest: Timing?
        var found = 0
        for _ in 0..<passes {
            let (texts, plainTime) = Timing.of { summaries.map { HTMLText.plainText($0) } }
            let (count, findTime) = Timing.of {
                texts.reduce(0) { $0 + finder.find(inPlainText: $1).allDeadlines.count }
            }
            if plainBest.map({ plainTime.seconds < $0.seconds }) ?? true { plainBest = plainTime }
            if findBest.map({ findTime.seconds < $0.seconds }) ?? true { findBest = findTime }
            plain = texts
            found = count
        }
        guard let plainBest, let findBest else { return }
        try BenchReport(
            benchmark: "text",
            measurement: Timing(
                seconds: plainBest.seconds + findBest.seconds, cpuSeconds: plainBest.cpuSeconds + findBest.cpuSeconds),
            details: [
                "items": Double(summaries.count),
                "plainTextSeconds": plainBest.seconds,
                "deadlineSeconds": findBest.seconds,
                "deadlinesFound": Double(found),
                "plainBytes": Double(plain.reduce(0) { $0 + $1.utf8.count }),
            ]
        ).emit()
    }
}
