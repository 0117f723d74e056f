import DigestTesting
import Foundation
import Testing

@testable import ICalendar

/// Compares the occurrences of every fixture with Python's icalendar + recurring-ical-events
/// (`Tests/Integration/ical_reference.py`). Skipped when that Python package is not installed.
@Suite struct ReferenceDifferentialTests {
    /// The reference script.
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Integration/ical_reference.py")

    /// Whether `python3 -c "import recurring_ical_events"` succeeds.
    static let pythonReferenceAvailable = ProcessRunner.canImport("recurring_ical_events")

    /// Where the reference is known to differ, and why: fixture → (our instant → Python's instant).
    static let knownDifferences: [String: [String: String]] = [
        // Python does not map the Teams-style suffixed Windows name "Central Standard Time 1" and reads it as
        // floating (Stockholm); the module maps it to America/Chicago.
        "outlook-windows-tzid.ics": ["2026-01-15T16:00:00Z": "2026-01-15T09:00:00Z"],
        // Two VEVENTs with one UID and the same SEQUENCE: the module keeps the later DTSTAMP, Python the first.
        "duplicate-uid.ics": ["2026-09-17T07:00:00Z": "2026-09-16T07:00:00Z"],
        // DTEND before DTSTART: the module keeps DTSTART (and reports DTEND), Python swaps the two.
        "dtend-before-dtstart.ics": ["2026-09-10T06:30:00Z": "2026-09-10T06:00:00Z"],
    ]

    /// Fixtures Python's icalendar refuses as a whole (the module keeps their good events).
    static let unreadableByReference: Set<String> = ["broken-components.ics", "rrule-unknown-part.ics"]

    @Test(
        .enabled(
            if: ReferenceDifferentialTests.pythonReferenceAvailable,
            "python3 cannot import recurring_ical_events (pip install icalendar recurring-ical-events); skipped"),
        arguments: Support.icsFixtureNames)
    func sameOccurrencesAsPython(_ name: String) async throws {
        let from = "2026-01-01T00:00:00Z"
        let to = "2027-01-01T00:00:00Z"
        let path = Support.fixturesURL.appendingPathComponent(name).path
        let result = try await ProcessRunner.python([Self.script.path, path, from, to, "--tz", "Europe/Stockholm"])
        let (status, output) = (result.status, String(decoding: result.stdout, as: UTF8.self))
        if Self.unreadableByReference.contains(name) {
            #expect(status != 0)
            return
        }
        #expect(status == 0)
        let reference = output.split(separator: "\n").map(String.init)
        let differences = Self.knownDifferences[name] ?? [:]
        let ours = Support.starts(try Support.document(name), from: from, to: to).map { differences[$0] ?? $0 }.sorted()
        #expect(ours == reference)
    }
}
