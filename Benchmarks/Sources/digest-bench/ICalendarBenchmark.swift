import ArgumentParser
import Foundation
import ICalendar

/// `digest-bench icalendar FILE`: parse a calendar and expand one year of occurrences.
struct ICalendarBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "icalendar",
        abstract: "Times ICalendarParser().parse plus occurrences(from:to:) over a window (Europe/Stockholm days)."
    )

    @Argument(help: "The .ics file (Benchmarks/gen_ical.py writes one).")
    var file: String

    @Option(help: "The window's first day, midnight in Europe/Stockholm.")
    var from = "2027-01-01"

    @Option(help: "The day after the window, midnight in Europe/Stockholm.")
    var to = "2028-01-01"

    @Option(help: "Also write every occurrence to this file, untimed: its UID and start (UTC), one per line, sorted.")
    var list: String?

    func run() throws {
        guard let zone = TimeZone(identifier: "Europe/Stockholm") else {
            throw BenchError(description: "the time zone Europe/Stockholm is not available")
        }
        let start = try midnight(from, in: zone)
        let end = try midnight(to, in: zone)
        let data = try readFile(file)
        let parser = ICalendarParser(defaultTimeZone: zone)
        let (result, total) = try Timing.of { () throws -> (ICalendarDocument, [Occurrence], Timing) in
            let (document, parse) = try Timing.of { try parser.parse(data) }
            let occurrences = document.occurrences(from: start, to: end)
            return (document, occurrences, parse)
        }
        let (document, occurrences, parse) = result
        let count = occurrences.count
        if let list {
            let lines = occurrences.map { "\($0.event.uid ?? "") \($0.start.ISO8601Format())" }.sorted()
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: list))
        }
        try BenchReport(
            benchmark: "icalendar",
            measurement: total,
            details: [
                "parseSeconds": parse.seconds,
                "expandSeconds": total.seconds - parse.seconds,
                "events": Double(document.events.count),
                "occurrences": Double(count),
                "problems": Double(document.problems.count),
                "bytes": Double(data.count),
            ]
        ).emit()
    }

    private func midnight(_ day: String, in zone: TimeZone) throws -> Date {
        let parts = day.split(separator: "-").compactMap { Int($0) }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        guard parts.count == 3,
            let date = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2]))
        else {
            throw BenchError(description: "\(day): not a day; write it as 2027-01-01")
        }
        return date
    }
}
