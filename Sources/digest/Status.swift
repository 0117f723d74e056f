import ArgumentParser
import DigestKit
import Foundation

/// `digest status`: what the state remembers of recent runs, deliveries and sources.
struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the last runs, deliveries pending, failed or uncertain per issue, and failing sources."
    )

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        _ = global.makeLogger()
        let config: DigestConfig
        do {
            config = try DigestConfig.load(from: global.configURL)
        } catch {
            GlobalOptions.report(error)
            throw ExitCode(2)
        }
        let text = OperatorText(config.newsletter.language)
        guard FileManager.default.fileExists(atPath: config.stateFile.path) else {
            print(text.noState(config.stateFile.path))
            return
        }
        let state: StateStore
        do {
            state = try StateStore.open(at: config.stateFile)
        } catch {
            printError(error.description)
            throw ExitCode(2)
        }
        let time = ItemJSON(timeZone: config.newsletter.timeZone)
        print(text.runs)
        for run in try state.recentRuns() {
            let end = run.finishedAt.map { time.time($0, allDay: false) } ?? text.didNotFinish
            print("  \(run.issue)  \(time.time(run.startedAt, allDay: false)) → \(end)  \(run.summary ?? "")")
        }
        print(text.deliveries)
        for (issue, counts) in try state.ledgerCounts() {
            let parts = DeliveryStatus.allCases.map { text.deliveries(counts[$0] ?? 0, $0) }
            print("  \(issue): " + parts.joined(separator: ", "))
        }
        let runs = try state.recentRuns(limit: 2)
        let since = runs.count > 1 ? runs[1].startedAt : runs.first?.startedAt ?? .distantPast
        let feedback = try state.feedback(since: since)
        print(text.feedback(any: !feedback.isEmpty))
        for event in feedback {
            print("  \(time.time(event.at, allDay: false))  \(event.kind)  \(event.address)  \(event.detail)")
        }
        let suppressed = try state.suppressions()
        if !suppressed.isEmpty {
            let counts = Dictionary(grouping: suppressed.values, by: { $0 }).mapValues(\.count)
            print(
                text.suppressed(
                    counts.sorted { $0.key.rawValue < $1.key.rawValue }.map { (reason: $0.key, count: $0.value) }))
        }
        let sources = try state.sourceHealth()
        let troubled = sources.filter {
            $0.consecutiveFailures > 0 || $0.lastItemCount == 0 || $0.lastDetailFailures > 0
        }
        print(text.sources(allRead: troubled.isEmpty ? sources.count : nil))
        for source in troubled {
            if source.consecutiveFailures > 0 {
                print(
                    text.sourceFailed(source.source, runs: source.consecutiveFailures, error: source.lastError ?? ""))
            } else if source.lastItemCount == 0 {
                print(text.sourceEmpty(source.source))
            } else {
                print(text.sourcePagesFailed(source.source, source.lastDetailFailures))
            }
        }
    }
}
