import Foundation
import Testing

@testable import ICalendar

/// Recurrence cases beyond the RFC's table, with hand-checked instants (UTC rules, so instants equal wall-clock).
@Suite struct RecurrenceTests {
    /// The first instances of `rrule` from `dtstart` (UTC) in 2026–2027, as ISO text.
    func instances(_ dtstart: String, _ rrule: String, extra: [String] = []) throws -> [String] {
        let ics =
            (["BEGIN:VCALENDAR", "BEGIN:VEVENT", "UID:r", "DTSTART:\(dtstart)", "RRULE:\(rrule)"] + extra
            + ["END:VEVENT", "END:VCALENDAR", ""]).joined(separator: "\r\n")
        let document = try ICalendarParser(defaultTimeZone: Support.stockholm).parse(Data(ics.utf8))
        #expect(document.problems.isEmpty, "\(document.problems)")
        return Support.starts(document, from: "2026-01-01T00:00:00Z", to: "2028-01-01T00:00:00Z")
    }

    @Test func mixedOrdinalAndPlainWeekdaysInAYear() throws {
        // Every Wednesday of 2026 and the second-to-last Thursday of the year (24 December; the last is the 31st).
        let all = try instances("20260107T100000Z", "FREQ=YEARLY;BYDAY=-2TH,WE;UNTIL=20261231T235959Z")
        #expect(
            all.prefix(4) == [
                "2026-01-07T10:00:00Z", "2026-01-14T10:00:00Z", "2026-01-21T10:00:00Z", "2026-01-28T10:00:00Z",
            ])
        #expect(all.count == 53)
        #expect(all.contains("2026-12-24T10:00:00Z"))
        #expect(!all.contains("2026-12-17T10:00:00Z"))
        #expect(!all.contains("2026-12-31T10:00:00Z"))
    }

    @Test func thursdayThatIsTheSecondOfAMonth() throws {
        #expect(
            try instances("20260402T100000Z", "FREQ=YEARLY;BYDAY=TH;BYMONTHDAY=2;COUNT=3") == [
                "2026-04-02T10:00:00Z", "2026-07-02T10:00:00Z", "2027-09-02T10:00:00Z",
            ])
    }

    @Test func unsynchronisedDTSTARTCountsAsTheFirstInstance() throws {
        // RFC 5545 section 3.8.5.3: DTSTART always counts as the first occurrence, also toward COUNT.
        #expect(
            try instances("20260101T100000Z", "FREQ=MONTHLY;BYMONTHDAY=15;COUNT=3") == [
                "2026-01-01T10:00:00Z", "2026-01-15T10:00:00Z", "2026-02-15T10:00:00Z",
            ])
    }

    @Test func lastDayOfFebruaryAndLeapYears() throws {
        #expect(
            try instances("20260228T090000Z", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1;COUNT=3").prefix(2) == [
                "2026-02-28T09:00:00Z", "2027-02-28T09:00:00Z",
            ])
        #expect(
            try instances("20260101T090000Z", "FREQ=YEARLY;BYYEARDAY=-1;COUNT=2") == [
                "2026-01-01T09:00:00Z", "2026-12-31T09:00:00Z",
            ])
    }

    @Test func exdateAsDateRemovesTheWholeDayOfATimedSeries() throws {
        #expect(
            try instances("20260105T080000Z", "FREQ=DAILY;COUNT=3", extra: ["EXDATE;VALUE=DATE:20260106"]) == [
                "2026-01-05T08:00:00Z", "2026-01-07T08:00:00Z",
            ])
    }

    @Test func untilAsDateIncludesThatDay() throws {
        #expect(
            try instances("20260105T220000Z", "FREQ=DAILY;UNTIL=20260107") == [
                "2026-01-05T22:00:00Z", "2026-01-06T22:00:00Z", "2026-01-07T22:00:00Z",
            ])
    }

    @Test func weekNumberOneCanStartInDecember() throws {
        // ISO week 1 of 2027 runs from Monday 4 January; week 1 of 2026 from Monday 29 December 2025.
        #expect(
            try instances("20251229T120000Z", "FREQ=YEARLY;BYWEEKNO=1;BYDAY=MO;COUNT=3") == [
                "2027-01-04T12:00:00Z"
            ])
    }

    @Test func bySetPosLastWorkdayOfMonth() throws {
        #expect(
            try instances("20260130T160000Z", "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;COUNT=4") == [
                "2026-01-30T16:00:00Z", "2026-02-27T16:00:00Z", "2026-03-31T16:00:00Z", "2026-04-30T16:00:00Z",
            ])
    }

    @Test func secondlyWithBySecond() throws {
        #expect(
            try instances("20260101T000000Z", "FREQ=SECONDLY;BYSECOND=0,30;COUNT=4") == [
                "2026-01-01T00:00:00Z", "2026-01-01T00:00:30Z", "2026-01-01T00:01:00Z", "2026-01-01T00:01:30Z",
            ])
    }
}
