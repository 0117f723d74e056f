import Foundation
import Testing

@testable import ICalendar

/// Each fixture, with the exact occurrence instants it must produce.
@Suite struct FixtureTests {
    @Test func outlookWindowsTimeZoneNames() throws {
        let document = try Support.document("outlook-windows-tzid.ics")
        #expect(document.name == "Företagsfrämjare Dalarna")
        #expect(document.problems.isEmpty, "\(document.problems)")
        let occurrences = document.occurrences(
            from: Support.date("2026-01-01T00:00:00Z"), to: Support.date("2027-01-01T00:00:00Z"))
        #expect(
            occurrences.map { Support.iso($0.start) } == [
                "2026-01-15T16:00:00Z",  // Central Standard Time 1 → America/Chicago, UTC-6
                "2026-03-24T08:00:00Z",  // W. Europe Standard Time, before DST
                "2026-03-31T07:00:00Z",  // after DST began on 29 March: wall clock kept
                "2026-04-07T07:00:00Z",
                "2026-06-15T12:00:00Z",  // Romance Standard Time without VTIMEZONE → Europe/Paris, UTC+2
            ])
        #expect(occurrences[1].end == Support.date("2026-03-24T09:00:00Z"))
        #expect(occurrences[4].end == Support.date("2026-06-15T14:00:00Z"))
        #expect(occurrences[1].recurrenceID == occurrences[1].start)
        #expect(occurrences[4].recurrenceID == nil)
    }

    @Test func googleOverrideWithoutMasterAndMovedInstance() throws {
        let document = try Support.document("google-override-without-master.ics")
        #expect(document.name == "Almi Dalarna")
        #expect(document.timeZoneName == "Europe/Stockholm")
        #expect(document.events.count == 3)
        let occurrences = document.occurrences(
            from: Support.date("2026-03-01T00:00:00Z"), to: Support.date("2026-04-01T00:00:00Z"))
        #expect(
            occurrences.map { Support.iso($0.start) } == [
                "2026-03-02T08:00:00Z", "2026-03-03T10:00:00Z", "2026-03-10T14:00:00Z", "2026-03-16T08:00:00Z",
                "2026-03-23T08:00:00Z",
            ])
        #expect(occurrences[1].event.summary == "Flyttad frukostträff")
        #expect(occurrences[1].recurrenceID == Support.date("2026-03-02T09:00:00Z"))
        #expect(occurrences[2].event.summary == "Måndagsfika (flyttad till tisdag)")
        #expect(occurrences[2].recurrenceID == Support.date("2026-03-09T08:00:00Z"))
        #expect(occurrences[2].end == Support.date("2026-03-10T15:00:00Z"))
    }

    @Test func overrideMovedIntoTheWindowReplacesAnInstanceOutsideIt() throws {
        let document = try Support.document("google-override-without-master.ics")
        // The 9 March instance was moved to 10 March 15:00; a window holding only 10 March shows the override.
        #expect(
            Support.starts(document, from: "2026-03-10T00:00:00Z", to: "2026-03-11T00:00:00Z") == [
                "2026-03-10T14:00:00Z"
            ])
        #expect(Support.starts(document, from: "2026-03-09T00:00:00Z", to: "2026-03-10T00:00:00Z").isEmpty)
    }

    @Test func exdateEqualToDTSTARTAndExdateInUTC() throws {
        let document = try Support.document("exdate-equals-dtstart.ics")
        #expect(
            Support.starts(document, from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z") == [
                "2026-01-06T09:00:00Z", "2026-01-08T09:00:00Z",
            ])
    }

    @Test func allDayEventsUseMidnightInTheDefaultZoneWithExclusiveEnd() throws {
        let document = try Support.document("allday-multiday.ics")
        let occurrences = document.occurrences(
            from: Support.date("2026-08-01T00:00:00Z"), to: Support.date("2026-12-01T00:00:00Z"))
        #expect(
            occurrences.map { Support.iso($0.start) } == [
                "2026-08-13T22:00:00Z", "2026-08-31T22:00:00Z", "2026-10-01T22:00:00Z",
            ])
        #expect(
            occurrences.map { Support.iso($0.end) } == [
                "2026-08-16T22:00:00Z", "2026-09-01T22:00:00Z", "2026-10-02T22:00:00Z",
            ])
        #expect(occurrences.allSatisfy { $0.isAllDay })
        // The exclusive end: the fair is not on 17 August.
        #expect(Support.starts(document, from: "2026-08-16T22:00:00Z", to: "2026-08-17T22:00:00Z").isEmpty)
        #expect(
            Support.starts(document, from: "2026-08-16T21:00:00Z", to: "2026-08-16T22:00:00Z") == [
                "2026-08-13T22:00:00Z"
            ])
    }

    @Test func foldInsideAMultiByteCharacterIsJoinedOnBytes() throws {
        let document = try Support.document("folded-utf8-split.ics")
        #expect(document.problems.isEmpty)
        let event = try #require(document.events.first)
        #expect(event.summary == "Företagsträff i Falun – frukost för alla nyföretagare i Dalarna")
        #expect(event.description == "Rad ett\nRad två, med komma; semikolon och \\ snedstreck\nSlut")
        #expect(event.location == "Kopparvägen 1, Falun")
        #expect(document.events[1].description == String(repeating: "å", count: 100))
        #expect(
            Support.starts(document, from: "2026-04-01T00:00:00Z", to: "2026-05-01T00:00:00Z") == [
                "2026-04-20T08:00:00Z", "2026-04-21T08:00:00Z",
            ])
    }

    @Test func lfOnlyWithBOMAndLongUnfoldedLine() throws {
        let document = try Support.document("lf-only-no-fold.ics")
        #expect(document.problems.isEmpty)
        let event = try #require(document.events.first)
        #expect(event.uid == "lf-only")
        #expect(event.description?.count == ("Lång beskrivning utan vikning. " * 200).count - 1)
        #expect(event.start.form == .floating)
        let occurrences = document.occurrences(
            from: Support.date("2026-05-01T00:00:00Z"), to: Support.date("2026-06-01T00:00:00Z"))
        #expect(occurrences.map { Support.iso($0.start) } == ["2026-05-05T11:00:00Z"])
        #expect(occurrences.map { Support.iso($0.end) } == ["2026-05-05T12:30:00Z"])
    }

    @Test func floatingTimesFollowTheParsersDefaultZone() throws {
        let parser = ICalendarParser(defaultTimeZone: TimeZone(identifier: "America/New_York")!)
        let document = try parser.parse(Support.data("lf-only-no-fold.ics"))
        #expect(
            Support.starts(document, from: "2026-05-01T00:00:00Z", to: "2026-06-01T00:00:00Z") == [
                "2026-05-05T17:00:00Z"
            ])
    }

    @Test func tzidKnownOnlyFromItsVTIMEZONE() throws {
        let document = try Support.document("vtimezone-only-custom-tzid.ics")
        #expect(
            document.problems.map(\.description) == [
                "line 31: unknown TZID \"Nowhere Standard Time\" (no IANA or Windows name, no VTIMEZONE); read in the default zone"
            ])
        #expect(
            Support.starts(document, from: "2026-03-01T00:00:00Z", to: "2026-07-01T00:00:00Z") == [
                "2026-03-25T08:00:00Z", "2026-04-01T07:00:00Z", "2026-06-10T07:00:00Z",
            ])
    }

    @Test func weeklyEventKeepsItsWallClockAcrossDST() throws {
        let document = try Support.document("dst-weekly-wallclock.ics")
        #expect(
            Support.starts(document, from: "2026-10-01T00:00:00Z", to: "2026-12-01T00:00:00Z") == [
                "2026-10-18T16:30:00Z", "2026-10-25T17:30:00Z", "2026-11-01T17:30:00Z",
            ])
        let spring = document.occurrences(
            from: Support.date("2026-03-01T00:00:00Z"), to: Support.date("2026-03-20T00:00:00Z"))
        #expect(
            spring.filter { $0.event.uid == "spring-new-york" }.map { Support.iso($0.start) } == [
                "2026-03-05T14:00:00Z", "2026-03-12T13:00:00Z",
            ])
        #expect(
            spring.filter { $0.event.uid == "spring-new-york" }.map { Support.iso($0.end) } == [
                "2026-03-05T15:00:00Z", "2026-03-12T14:00:00Z",
            ])
        // 02:30 does not exist on 29 March in Stockholm: it is read as 03:30 CEST (RFC 5545 section 3.3.5).
        let night = document.occurrences(
            from: Support.date("2026-03-27T00:00:00Z"), to: Support.date("2026-04-01T00:00:00Z"))
        #expect(
            night.map { Support.iso($0.start) } == [
                "2026-03-28T01:30:00Z", "2026-03-29T01:30:00Z", "2026-03-30T00:30:00Z",
            ])
    }

    @Test func cancelledInstanceAndCancelledEventAreDropped() throws {
        let document = try Support.document("cancelled-instance.ics")
        #expect(
            Support.starts(document, from: "2026-08-01T00:00:00Z", to: "2026-10-01T00:00:00Z") == [
                "2026-09-01T15:00:00Z", "2026-09-15T15:00:00Z",
            ])
    }

    @Test func brokenComponentsAreSkippedAndReportedWithTheirLines() throws {
        let document = try Support.document("broken-components.ics")
        #expect(document.events.map(\.uid) == ["bad-rrule", "good"])
        #expect(
            document.problems.map(\.description) == [
                "line 7: invalid DTSTART \"2026-13-01\" (expected DATE or DATE-TIME); VEVENT (UID bad-dtstart) skipped",
                "line 10: VEVENT (UID missing-dtstart) has no DTSTART; skipped",
                "line 19: invalid RRULE: invalid FREQ value \"FORTNIGHTLY\"; VEVENT (UID bad-rrule) read as not recurring",
                "line 29: VEVENT not closed before END:VCALENDAR; skipped",
            ])
        #expect(
            Support.starts(document, from: "2026-03-01T00:00:00Z", to: "2026-04-01T00:00:00Z") == [
                "2026-03-01T10:00:00Z", "2026-03-02T10:00:00Z",
            ])
    }

    @Test func dtendBeforeDTSTARTIsReportedAndIgnored() throws {
        let document = try Support.document("dtend-before-dtstart.ics")
        #expect(
            document.problems.map(\.description) == [
                "line 9: DTEND TZID=Europe/Stockholm:20260910T080000 is before DTSTART TZID=Europe/Stockholm:20260910T083000; ignored (the event starts at DTSTART)"
            ])
        let occurrences = document.occurrences(
            from: Support.date("2026-09-01T00:00:00Z"), to: Support.date("2026-10-01T00:00:00Z"))
        #expect(occurrences.map { Support.iso($0.start) } == ["2026-09-10T06:30:00Z"])
        #expect(occurrences.map(\.end) == occurrences.map(\.start))
    }

    @Test func propertiesParametersAndEscapes() throws {
        let document = try Support.document("properties-params-escapes.ics")
        #expect(document.problems.isEmpty, "\(document.problems)")
        #expect(document.name == "Standard name (RFC 7986)")
        let event = try #require(document.events.first)
        #expect(event.summary == "Workshop: Finansiering, steg 1")
        #expect(event.location == "Dalarnas Hus, Falun")
        #expect(event.url == "https://example.com/events/42?utm=x")
        #expect(event.organizer == Organizer(name: "Almi, Dalarna", email: "info@almi.example"))
        #expect(event.categories == ["Finansiering", "Workshop", "EU,stöd", "Nyföretagare"])
        #expect(event.status == .tentative)
        #expect(event.sequence == 3)
        #expect(event.lastModified == Support.date("2026-02-15T10:15:00Z"))
        #expect(event.start.form == .zoned(tzid: "Europe/Stockholm"))
        #expect(event.start.date == Support.date("2026-05-12T07:00:00Z"))
        #expect(event.end?.date == Support.date("2026-05-12T09:00:00Z"))
    }
}

extension String {
    /// The string repeated `count` times.
    fileprivate static func * (text: String, count: Int) -> String {
        String(repeating: text, count: count)
    }
}
