import ArgumentParser
import DigestKit
import DigestSupport
import Foundation

/// `digest collect`: fetches and parses every source and prints the items.
struct Collect: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collect",
        abstract: "Fetch and parse every source and print the normalised items.",
        discussion: """
            A source that fails is reported on standard error with its URL or path; the others are still printed. \
            Exits 2 when every source failed.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Flag(name: .long, help: "Print JSON Lines, one object per item (per occurrence for recurring events).")
    var json = false

    @Option(name: .long, help: "Start of the window (default: --now).")
    var from: String?

    @Option(name: .long, help: "End of the window (default: --from plus newsletter.eventsAhead).")
    var until: String?

    @OptionGroup var clock: ClockOption

    func run() async throws {
        let logger = global.makeLogger()
        let workspace = try global.loadSources()
        let zone = workspace.config.newsletter.timeZone
        let now = try clock.time(in: zone)
        let start = try GlobalOptions.time(from, option: "--from", timeZone: zone) ?? now
        let defaultEnd = workspace.window(at: start).end
        let end = try GlobalOptions.time(until, option: "--until", timeZone: zone) ?? defaultEnd
        guard end >= start else {
            printError("--until must not be before --from.")
            throw ExitCode(2)
        }
        // The state keeps conditional-GET validators and the item pages that JSON and HTML sources follow.
        let state: StateStore?
        do {
            state = try StateStore.open(at: workspace.config.stateFile)
        } catch {
            printError("\(error); collecting without it")
            state = nil
        }
        let result = await SourceCollector(
            config: workspace.config, taxonomy: workspace.taxonomy, logger: logger, cache: state
        ).collect(window: DateInterval(start: start, end: end), now: now)
        try withExtendedLifetime(result) {
            try show(result, timeZone: zone)
            // Done: the items are not freed one by one, the process ends here and the system takes its memory back
            // at once (freeing the 64,000 items of a year's busy calendar took a tenth of the command's time).
            Foundation.exit(EXIT_SUCCESS)
        }
    }

    /// Prints `result`'s items, then its sources' failures and problems; throws when every source failed.
    private func show(_ result: CollectResult, timeZone zone: TimeZone) throws {
        let encoder = ItemJSON(timeZone: zone)
        // Cancelled instances are kept for the digests' change notices ("Inställt"); they take place nowhere, so
        // neither listing shows them.
        let items = result.items
        if json {
            // The lines of each run of items are made into one buffer, the runs on every core; then the buffers are
            // written in the items' order, none joined to the others.
            let runLength = max(256, items.count / 64)
            let runs = Parallel.map(
                runsOf: items, length: runLength, state: {},
                transform: { _, run in
                    var bytes: [UInt8] = []
                    for offset in run.offsets {
                        let item = run.base + offset
                        if item.pointee.cancelled { continue }
                        encoder.append(line: item, to: &bytes)
                        bytes.append(UInt8(ascii: "\n"))
                    }
                    return bytes
                })
            for bytes in runs {
                guard bytes.withUnsafeBytes({ SafeFile.writeAll($0, to: STDOUT_FILENO) }) else {
                    printError("cannot write the items to standard output: \(String(cString: strerror(errno)))")
                    throw ExitCode(1)
                }
            }
        } else {
            print(ItemTable(items: items.filter { !$0.cancelled }, encoder: encoder).text)
        }
        for report in result.reports {
            if let failure = report.failure { printError(Self.failureLine(report, failure)) }
            for problem in report.problems { printError("\(report.name): \(problem)") }
        }
        if !result.reports.isEmpty && result.reports.allSatisfy({ $0.failure != nil }) {
            printError("every source failed (\(result.reports.count)); nothing was collected")
            throw ExitCode(2)
        }
    }

    /// `name: failed: URL: why`, the URL or path left out when the reason already names it.
    static func failureLine(_ report: SourceReport, _ failure: String) -> String {
        let place = PrintableText.oneLine(report.url)
        return failure.contains(place)
            ? "\(report.name): failed: \(failure)" : "\(report.name): failed: \(place): \(failure)"
    }
}

/// A plain table of items for a terminal.
struct ItemTable {
    let items: [Item]
    let encoder: ItemJSON

    var text: String {
        var rows = [["KIND", "WHEN / DEADLINE", "SOURCE", "TITLE", "TOPICS"]]
        for item in items {
            let when =
                item.start.map { encoder.time($0, allDay: item.allDay) }
                ?? item.deadline.map { "≤ " + encoder.time($0, allDay: false) } ?? "–"
            rows.append([
                item.kind.rawValue, String(when.prefix(26)), item.sources.joined(separator: ","),
                String(item.title.prefix(60)), item.topics.joined(separator: ","),
            ])
        }
        let widths = (0..<5).map { column in rows.map { $0[column].count }.max() ?? 0 }
        let lines = rows.map { row in
            row.enumerated().map { column, cell in
                column == 4 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        return lines.joined(separator: "\n") + "\n\(items.count) items"
    }
}
