import Foundation
import Testing

@testable import ICalendar

/// How overrides, several RRULEs and repeated UIDs make up a series (RFC 5545 sections 3.2.13, 3.8.4.4, 3.8.5.3),
/// each on a fixture named after what real calendars (and the peers' corpora) do.
@Suite struct SeriesTests {
    let autumn = ("2026-08-01T00:00:00Z", "2027-01-01T00:00:00Z")

    @Test func rangeThisAndFutureMovesEveryLaterInstance() throws {
        let document = try Support.document("range-thisandfuture.ics")
        #expect(document.problems.isEmpty, "\(document.problems)")
        let occurrences = document.occurrences(from: Support.date(autumn.0), to: Support.date(autumn.1))
        #expect(
            occurrences.map { Support.iso($0.start) } == [
                "2026-09-03T06:00:00Z", "2026-09-10T06:00:00Z", "2026-09-17T06:00:00Z",
                "2026-09-24T08:00:00Z",  // the override itself: 10:00 instead of 08:00
                "2026-10-01T08:00:00Z",  // moved with it
                "2026-10-02T08:00:00Z",  // the RDATE too
                "2026-10-08T05:30:00Z",  // an override of its own wins
                "2026-10-15T08:00:00Z", "2026-10-22T08:00:00Z",
            ])
        #expect(
            occurrences.map { $0.event.summary ?? "" } == [
                "Företagsfrukost", "Företagsfrukost", "Företagsfrukost", "Företagsfrukost (ny tid)",
                "Företagsfrukost (ny tid)", "Företagsfrukost (ny tid)", "Företagsfrukost (extra lång)",
                "Företagsfrukost (ny tid)", "Företagsfrukost (ny tid)",
            ])
        // The later instances take the override's length (1 h 30 min) and keep their own RECURRENCE-ID.
        #expect(occurrences[4].end == Support.date("2026-10-01T09:30:00Z"))
        #expect(occurrences[4].recurrenceID == Support.date("2026-10-01T06:00:00Z"))
        #expect(occurrences[2].end == Support.date("2026-09-17T07:00:00Z"))
    }

    @Test func rangeThisAndFutureReachesIntoAWindowAfterTheOverride() throws {
        let document = try Support.document("range-thisandfuture.ics")
        // 22 October 08:00 local moved to 10:00: a window from 09:00 local holds it, one ending at 09:00 does not.
        #expect(
            Support.starts(document, from: "2026-10-22T07:00:00Z", to: "2026-10-23T00:00:00Z") == [
                "2026-10-22T08:00:00Z"
            ])
        #expect(Support.starts(document, from: "2026-10-22T00:00:00Z", to: "2026-10-22T07:00:00Z").isEmpty)
    }

    @Test func severalRRULEsGiveTheUnionOfTheirInstances() throws {
        let document = try Support.document("multiple-rrule.ics")
        #expect(document.problems.isEmpty, "\(document.problems)")
        #expect(document.events.first?.rrules.count == 2)
        #expect(
            Support.starts(document, from: autumn.0, to: autumn.1) == [
                "2026-09-01T11:00:00Z", "2026-09-08T11:00:00Z", "2026-09-15T11:00:00Z", "2026-10-06T11:00:00Z",
                "2026-11-03T12:00:00Z",
            ])
    }

    @Test func dateTimeRecurrenceIDInADateSeriesReplacesTheInstanceOnThatDate() throws {
        let document = try Support.document("outlook-date-series-datetime-recurrence-id.ics")
        #expect(
            document.problems.map(\.description) == [
                "line 27: RECURRENCE-ID of VEVENT (UID 040000008200E00074C5B7101A82E0080000000001AB) is a DATE-TIME in a series of DATEs (RFC 5545 asks for the type of DTSTART); these 2 overrides were matched to the instance on the same date"
            ])
        let occurrences = document.occurrences(from: Support.date(autumn.0), to: Support.date(autumn.1))
        // Thursdays 3, 10, 17 and 24 September: the 10th moved to Friday the 11th, the 24th to Wednesday the 23rd.
        #expect(
            occurrences.map { Support.iso($0.start) } == [
                "2026-09-02T22:00:00Z", "2026-09-10T22:00:00Z", "2026-09-16T22:00:00Z", "2026-09-22T22:00:00Z",
            ])
        #expect(occurrences.allSatisfy { $0.isAllDay })
        #expect(occurrences[1].recurrenceID == Support.date("2026-09-09T22:00:00Z"))
        #expect(occurrences[3].event.summary == "Mässdag (flyttad till onsdag)")
    }

    @Test func repeatedUIDWithoutRecurrenceIDKeepsTheHighestSequenceThenTheLatestStamp() throws {
        let document = try Support.document("duplicate-uid.ics")
        #expect(
            document.problems.map(\.description) == [
                "line 12: VEVENT (UID seminar-sequence) has the same UID as the VEVENT at line 4 and no RECURRENCE-ID; that one has the higher SEQUENCE (2 > 1), so this one is skipped",
                "line 20: VEVENT (UID workshop-dtstamp) has the same UID as the VEVENT at line 27 and no RECURRENCE-ID; that one has the later DTSTAMP, so this one is skipped",
            ])
        #expect(document.events.map(\.summary) == ["Exportseminarium (ny tid)", "Workshop (flyttad)"])
        #expect(
            Support.starts(document, from: autumn.0, to: autumn.1) == ["2026-09-15T08:00:00Z", "2026-09-17T07:00:00Z"])
    }

    @Test func rruleWithAnUnknownPartIsReportedAndTheEventReadAsNotRecurring() throws {
        let document = try Support.document("rrule-unknown-part.ics")
        #expect(
            document.problems.map(\.description) == [
                "line 10: invalid RRULE: unknown rule part \"UNTL=20261023\"; VEVENT (UID misspelt-until) read as not recurring"
            ])
        #expect(document.events.first?.rrules.isEmpty == true)
        #expect(Support.starts(document, from: autumn.0, to: autumn.1) == ["2026-09-03T12:00:00Z"])
    }

    @Test func extensionRulePartsAreStillIgnored() throws {
        let rule = try RecurrenceRule.parse("FREQ=WEEKLY;X-EXAMPLE=1;COUNT=2", zone: .utc).get()
        #expect(rule.count == 2)
    }

    @Test func veventOutsideVCALENDARIsReadAndReported() throws {
        let document = try Support.document("bare-vevent.ics")
        #expect(
            document.problems.map(\.description) == ["line 1: VEVENT outside VCALENDAR; read as if it were inside one"])
        #expect(document.events.map(\.uid) == ["snippet@example.se"])
        #expect(Support.starts(document, from: autumn.0, to: autumn.1) == ["2026-09-22T16:00:00Z"])
    }

    @Test func cancelledRangeOverrideCancelsTheLaterInstancesToo() throws {
        var text = String(decoding: try Support.data("range-thisandfuture.ics"), as: UTF8.self)
        text = text.replacingOccurrences(
            of: "SUMMARY:Företagsfrukost (ny tid)\r\n", with: "SUMMARY:Företagsfrukost (ny tid)\r\nSTATUS:CANCELLED\r\n"
        )
        let document = try ICalendarParser(defaultTimeZone: Support.stockholm).parse(Data(text.utf8))
        #expect(
            Support.starts(document, from: autumn.0, to: autumn.1) == [
                "2026-09-03T06:00:00Z", "2026-09-10T06:00:00Z", "2026-09-17T06:00:00Z", "2026-10-08T05:30:00Z",
            ])
    }
}
