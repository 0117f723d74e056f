import Foundation
import Testing

@testable import ICalendar

/// Test helpers: fixtures read relative to this file, and instants written as ISO 8601 UTC text.
enum Support {
    /// The Fixtures folder next to this file.
    static let fixturesURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Fixtures")

    /// Every `.ics` fixture name.
    static var icsFixtureNames: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: fixturesURL.path)) ?? [])
            .filter { $0.hasSuffix(".ics") }.sorted()
    }

    /// The bytes of a fixture.
    static func data(_ name: String) throws -> Data {
        try Data(contentsOf: fixturesURL.appendingPathComponent(name))
    }

    /// Europe/Stockholm, the project's default zone.
    static let stockholm = TimeZone(identifier: "Europe/Stockholm")!

    /// A fixture parsed with Stockholm as the default zone.
    static func document(_ name: String) throws -> ICalendarDocument {
        try ICalendarParser(defaultTimeZone: stockholm).parse(data(name))
    }

    /// A date from `2026-03-24T08:00:00Z`.
    static func date(_ text: String) -> Date {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)!
    }

    /// `2026-03-24T08:00:00Z` for a date.
    static func iso(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }

    /// The start instants of the occurrences in a window, as ISO text.
    static func starts(_ document: ICalendarDocument, from: String, to: String) -> [String] {
        document.occurrences(from: date(from), to: date(to)).map { iso($0.start) }
    }
}
