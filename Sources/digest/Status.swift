import ArgumentParser
import DigestKit
import Foundation

/// `digest status`: what the state remembers of recent runs, deliveries and sources.
struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
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
        guard FileManager.default.fileExists(atPath: config.stateFile.path) else {
            print("No state yet at \(config.stateFile.path): digest send has not run.")
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
        print("Runs:")
        for run in try state.recentRuns() {
            let end = run.finishedAt.map { time.time($0, allDay: false) } ?? "did not finish"
            print("  \(run.issue)  \(time.time(run.startedAt, allDay: false)) → \(end)  \(run.summary ?? "")")
        }
        print("Deliveries:")
        for (issue, counts) in try state.ledgerCounts() {
            let parts = DeliveryStatus.allCases.map { status -> String in
                let label = status == .sending ? "uncertain" : status.rawValue
                return "\(counts[status] ?? 0) \(label)"
            }
            print("  \(issue): " + parts.joined(separator: ", "))
        }
        let runs = try state.recentRuns(limit: 2)
        let since = runs.count > 1 ? runs[1].startedAt : runs.first?.startedAt ?? .distantPast
        let feedback = try state.feedback(since: since)
        print(feedback.isEmpty ? "Feedback since the last issue: none." : "Feedback since the last issue:")
        for event in feedback {
            print("  \(time.time(event.at, allDay: false))  \(event.kind)  \(event.address)  \(event.detail)")
        }
        let suppressed = try state.suppressions()
        if !suppressed.isEmpty {
            let counts = Dictionary(grouping: suppressed.values, by: \.rawValue).mapValues(\.count)
            print(
                "Suppressed addresses: "
                    + counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", "))
        }
        let sources = try state.sourceHealth()
        let troubled = sources.filter {
            $0.consecutiveFailures > 0 || $0.lastItemCount == 0 || $0.lastDetailFailures > 0
        }
        print(troubled.isEmpty ? "Sources: all \(sources.count) read in the last run." : "Sources needing attention:")
        for source in troubled {
            if source.consecutiveFailures > 0 {
                print(
                    "  \(source.source): failed \(source.consecutiveFailures) run(s) in a row: \(source.lastError ?? "")"
                )
            } else if source.lastItemCount == 0 {
                print("  \(source.source): read, but gave no items")
            } else {
                print(
                    "  \(source.source): read, but \(source.lastDetailFailures) item page(s) could not be; "
                        + "those items kept what the list gave")
            }
        }
    }
}
