import ArgumentParser
import DigestKit
import Foundation

/// `digest-bench render DATA`: build complete MIME digests through DigestKit's pipeline.
struct RenderBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Times DigestBuilder.build (filter, plan, render, compose) for generated subscribers.",
        discussion: """
            Loads the Workspace of --config (the repository's templates, strings and topics), reads items.json and \
            subscribers.json from DATA (Benchmarks/gen_render.py writes them) and builds one complete message per \
            subscriber, counting its bytes and discarding it.
            """
    )

    @Argument(help: "The folder with items.json and subscribers.json.")
    var data: String

    @Option(help: "The config whose templates and newsletter settings are used.")
    var config = "digest.yaml"

    @Option(help: "How many subscribers to build digests for (the first ones of subscribers.json).")
    var count = 10_000

    @Option(help: "Threads building in parallel (the send pipeline builds on one).")
    var jobs = 1

    @Flag(help: "Render every reader's outline, as if no two readers had the same items (the worst case).")
    var noReuse = false

    func run() async throws {
        var workspace: Workspace
        do {
            workspace = try await Workspace.load(configFile: URL(fileURLWithPath: config))
        } catch {
            throw BenchError(description: "\(config): \(error)")
        }
        workspace.renderer.reusesOutlines = !noReuse
        let issue = IssueInfo(id: "2026-W49", now: Date(timeIntervalSince1970: 1_796_108_400))
        let builder = try DigestBuilder(workspace: workspace, issue: issue, secret: Data("bench-secret".utf8))
        let items = try decodeGenerated([GeneratedItem].self, from: data + "/items.json").map(\.item)
        let everyone = try decodeGenerated([GeneratedSubscriber].self, from: data + "/subscribers.json")
        guard everyone.count >= count else {
            throw BenchError(
                description: "\(data)/subscribers.json has \(everyone.count) subscribers, fewer than \(count)")
        }
        let subscribers = everyone.prefix(count).map(\.subscriber)
        let jobs = max(1, min(jobs, 64))
        let (tally, measurement) = try Timing.of {
            try build(subscribers, items: items, with: builder, jobs: jobs)
        }
        try BenchReport(
            benchmark: "render-\(count)\(noReuse ? "-no-reuse" : "")",
            measurement: measurement,
            details: [
                "messages": Double(tally.messages),
                "messagesPerSecond": Double(tally.messages) / measurement.seconds,
                "averageBytes": Double(tally.bytes) / Double(max(1, tally.messages)),
                "averageItems": Double(tally.items) / Double(max(1, tally.messages)),
                "itemPool": Double(items.count),
                "jobs": Double(jobs),
                "outlinesRendered": Double(builder.run.outlineStatistics.rendered),
                "outlinesReused": Double(builder.run.outlineStatistics.reused),
            ]
        ).emit()
    }

    /// Builds every subscriber's digest on `jobs` threads, keeping only counts.
    private func build(_ subscribers: [Subscriber], items: [Item], with builder: DigestBuilder, jobs: Int) throws
        -> Tally
    {
        let slices = (0..<jobs).map { job in
            Array(subscribers[(subscribers.count * job / jobs)..<(subscribers.count * (job + 1) / jobs)])
        }
        let index = ItemIndex(items)  // once per run, as `digest send` does
        let results = SliceResults(count: jobs)
        DispatchQueue.concurrentPerform(iterations: jobs) { job in
            var tally = Tally()
            do {
                for subscriber in slices[job] {
                    let digest = try builder.build(for: subscriber, index: index, sent: [:])
                    tally.messages += 1
                    tally.bytes += digest.message.bytes.count
                    tally.items += digest.content.all.count
                }
                results.set(job, .success(tally))
            } catch {
                results.set(job, .failure(BenchError(description: "building a digest failed: \(error)")))
            }
        }
        var total = Tally()
        for result in results.all {
            let tally = try result.get()
            total.messages += tally.messages
            total.bytes += tally.bytes
            total.items += tally.items
        }
        return total
    }
}

/// Messages built, their bytes and the items they list.
struct Tally: Sendable {
    var messages = 0
    var bytes = 0
    var items = 0
}

/// Each parallel slice's result, written once per slice from its own thread.
final class SliceResults: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Result<Tally, BenchError>]

    init(count: Int) {
        results = Array(repeating: .success(Tally()), count: count)
    }

    func set(_ index: Int, _ result: Result<Tally, BenchError>) {
        lock.withLock { results[index] = result }
    }

    var all: [Result<Tally, BenchError>] { lock.withLock { results } }
}
