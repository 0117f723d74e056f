import Foundation
import Testing

@testable import ICalendar

/// Checks every block of `Fixtures/rfc5545-rrule-examples.txt` (RFC 5545 section 3.8.5.3).
@Suite struct RFC5545ExampleTests {
    /// One example: the content lines to put in a VEVENT and the expected wall-clock instances.
    struct Example: CustomTestStringConvertible {
        var title: String
        var lines: [String] = []
        var expected: [String] = []
        var isComplete = true
        var testDescription: String { title }
    }

    /// Reads the table.
    static func examples() throws -> [Example] {
        let text = try String(
            contentsOf: Support.fixturesURL.appendingPathComponent("rfc5545-rrule-examples.txt"), encoding: .utf8)
        var examples: [Example] = []
        var current: Example?
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(rawLine)
            if line.isEmpty {
                if let example = current, !example.lines.isEmpty {
                    examples.append(example)
                }
                current = nil
            } else if line.hasPrefix("#") {
                if current == nil {
                    current = Example(title: String(line.dropFirst(2)))
                }
            } else if line.hasPrefix("EXPECT-FIRST:") {
                current?.isComplete = false
                current?.expected += line.dropFirst(13).split(separator: ",").map(String.init)
            } else if line.hasPrefix("EXPECT:") {
                current?.expected += line.dropFirst(7).split(separator: ",").map(String.init)
            } else {
                current?.lines.append(line)
            }
        }
        if let example = current, !example.lines.isEmpty {
            examples.append(example)
        }
        return examples
    }

    @Test func tableHasEveryExample() throws {
        #expect(try Self.examples().count == 43)
    }

    @Test(arguments: try examples())
    func example(_ example: Example) throws {
        let newYork = TimeZone(identifier: "America/New_York")!
        let ics =
            ([
                "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//rfc//EN", "BEGIN:VEVENT", "UID:rfc",
                "DTSTAMP:19970901T000000Z",
            ]
            + example.lines + ["END:VEVENT", "END:VCALENDAR", ""]).joined(separator: "\r\n")
        let document = try ICalendarParser(defaultTimeZone: newYork).parse(Data(ics.utf8))
        #expect(document.problems.isEmpty, "\(document.problems)")
        let zone = ZoneRules.foundation(newYork)
        // The window runs from the first expected instance to just after the last one (a year more for a bounded rule,
        // to show that nothing follows).
        let first = zone.epoch(
            forLocal: try #require(DateParsing.parse(Substring(example.expected[0]))).local.epochSeconds)
        let lastLocal = try #require(DateParsing.parse(Substring(example.expected[example.expected.count - 1]))).local
        let last = zone.epoch(forLocal: lastLocal.epochSeconds)
        let end = example.isComplete ? last + 366 * 86_400 : last + 1
        let occurrences = document.occurrences(
            from: Date(timeIntervalSince1970: TimeInterval(first - 86_400)),
            to: Date(timeIntervalSince1970: TimeInterval(end)))
        let actual = occurrences.map { zone.local(forEpoch: Int($0.start.timeIntervalSince1970)).description }
        #expect(actual == example.expected)
    }
}
