import ArgumentParser
import DigestKit
import DigestTesting
import Foundation

/// `digest-bench filter`: every subscriber's selection out of a large item set.
struct FilterBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "filter",
        abstract: "Times indexing the items once and InterestFilter.select(from:for:) for every generated subscriber."
    )

    @Option(help: "How many subscribers.")
    var subscribers = 100_000

    @Option(help: "How many items.")
    var items = 2000

    @Option(help: "Threads filtering in parallel.")
    var jobs = 1

    @Option(help: "The seed of the generated data.")
    var seed: UInt64 = 49

    func run() throws {
        var random = SplitMix64(seed: seed)
        let pool = (0..<max(0, items)).map { FilterData.item($0, random: &random) }
        let readers = (0..<max(0, subscribers)).map { FilterData.subscriber($0, random: &random) }
        let jobs = max(1, min(jobs, 64))
        let filter = InterestFilter()
        let (selected, measurement) = Timing.of { () -> Int in
            // The index is built once per run, as `digest send` does, and counts in the time.
            let index = ItemIndex(pool)
            let counts = SelectionCounts(count: jobs)
            DispatchQueue.concurrentPerform(iterations: jobs) { job in
                var selected = 0
                for reader in stride(from: job, to: readers.count, by: jobs) {
                    selected += filter.select(from: index, for: readers[reader]).count
                }
                counts.set(job, selected)
            }
            return counts.total
        }
        try BenchReport(
            benchmark: "filter",
            measurement: measurement,
            details: [
                "subscribers": Double(readers.count),
                "items": Double(pool.count),
                "selected": Double(selected),
                "averageSelected": Double(selected) / Double(max(1, readers.count)),
                "pairsPerSecond": Double(readers.count) * Double(pool.count) / measurement.seconds,
                "jobs": Double(jobs),
            ]
        ).emit()
    }
}

/// Per-thread totals of selected items.
final class SelectionCounts: @unchecked Sendable {
    private let lock = NSLock()
    private var counts: [Int]

    init(count: Int) {
        counts = Array(repeating: 0, count: count)
    }

    func set(_ index: Int, _ value: Int) {
        lock.withLock { counts[index] = value }
    }

    var total: Int { lock.withLock { counts.reduce(0, +) } }
}

/// The filter benchmark's generated items and subscribers: the project's topics, organisers and municipalities,
/// Swedish titles with diacritics, and a mix of interests (topics, regions, organisers, keywords, exclusions).
enum FilterData {
    static let topics = [
        "finansiering", "hallbarhet", "innovation", "export", "radgivning", "starta-foretag", "digitalisering",
        "kompetens", "energi", "landsbygd",
    ]
    static let organizers = [
        "Almi", "Coompanion", "Invest in Dalarna", "Region Dalarna", "Dalarna Science Park", "Vinnova",
        "Tillväxtverket", "Energimyndigheten",
    ]
    static let words = [
        "frukostmöte", "seminarium", "rådgivning", "export", "finansiering", "hållbarhet", "innovation", "företag",
        "nätverk", "ledarskap", "digitalisering", "kompetens", "energi", "landsbygd", "bootcamp", "stöd", "bidrag",
        "lån", "klimat", "samverkan", "kooperativ", "startup", "e-handel", "solenergi",
    ]

    static func item(_ index: Int, random: inout SplitMix64) -> Item {
        let kind: ItemKind = index % 2 == 0 ? .event : .funding
        var item = Item(id: "filter-\(index)", kind: kind, source: "bench", title: sentence(3, &random) + " \(index)")
        item.summary = sentence(25, &random)
        item.organizer = organizers.randomElement(using: &random)
        item.topics = Array(topics.shuffled(using: &random).prefix(Int.random(in: 1...2, using: &random)))
        if kind == .event {
            if Int.random(in: 0..<100, using: &random) < 15 {
                item.online = true
            } else {
                item.regions = [Regions.municipalities.randomElement(using: &random) ?? "Falun"]
            }
        }
        return item
    }

    static func subscriber(_ index: Int, random: inout SplitMix64) -> Subscriber {
        var subscriber = Subscriber(email: "reader\(index)@example.com")
        subscriber.interests.topics = Array(
            topics.shuffled(using: &random).prefix(Int.random(in: 1...2, using: &random)))
        let roll = Int.random(in: 0..<100, using: &random)
        if roll < 50 {
            subscriber.interests.regions = Array(Regions.municipalities.shuffled(using: &random).prefix(2))
        } else if roll < 70 {
            subscriber.interests.regions = [Regions.wholeRegion]
        }
        if Int.random(in: 0..<100, using: &random) < 20 {
            subscriber.interests.organizers = [organizers.randomElement(using: &random) ?? "Almi"]
        }
        if Int.random(in: 0..<100, using: &random) < 10 {
            subscriber.interests.keywords = [words.randomElement(using: &random) ?? "export"]
        }
        if Int.random(in: 0..<100, using: &random) < 5 {
            subscriber.exclude.keywords = ["kooperativ"]
        }
        if Int.random(in: 0..<100, using: &random) < 10 {
            subscriber.interests.kinds = [index % 2 == 0 ? .event : .funding]
        }
        return subscriber
    }

    private static func sentence(_ length: Int, _ random: inout SplitMix64) -> String {
        (0..<length).map { _ in words.randomElement(using: &random) ?? "" }.joined(separator: " ")
    }
}
