import ArgumentParser

/// Benchmarks of digest's modules on generated data; each subcommand prints one JSON object with its wall time,
/// CPU time and peak memory, for `Benchmarks/run.sh` to set beside the Python peers.
@main
struct DigestBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "digest-bench",
        abstract: "Times digest's parsers, renderer, SMTP transport and filter on generated data; prints JSON.",
        subcommands: [
            ICalendarBenchmark.self, FeedsBenchmark.self, RenderBenchmark.self, SMTPBenchmark.self,
            FilterBenchmark.self, TextBenchmark.self,
        ]
    )
}
