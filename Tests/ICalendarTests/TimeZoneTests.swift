import Foundation
import Testing

@testable import ICalendar

/// TZID resolution: IANA, Windows names, prefixed identifiers, VTIMEZONE-only zones, and the fallback.
@Suite struct TimeZoneTests {
    @Test func everyWindowsNameMapsToAZoneFoundationKnows() {
        for (windows, iana) in WindowsZones.ianaByName {
            #expect(TimeZone(identifier: iana) != nil, "\(windows) → \(iana)")
        }
        #expect(WindowsZones.ianaByName.count >= 80)
    }

    @Test(arguments: [
        ("W. Europe Standard Time", "Europe/Berlin"),
        ("Romance Standard Time", "Europe/Paris"),
        ("Central Europe Standard Time", "Europe/Budapest"),
        ("GMT Standard Time", "Europe/London"),
        ("FLE Standard Time", "Europe/Kiev"),
        ("Pacific Standard Time", "America/Los_Angeles"),
        ("w. europe standard time", "Europe/Berlin"),
        ("Central Standard Time 1", "America/Chicago"),
        ("\"Europe/Stockholm\"", "Europe/Stockholm"),
        ("/mozilla.org/20050126_1/Europe/Stockholm", "Europe/Stockholm"),
        ("/softwarestudio.org/Olson_20011030_5/America/Argentina/Buenos_Aires", "America/Argentina/Buenos_Aires"),
    ])
    func knownZone(_ tzid: String, _ iana: String) throws {
        let zone = try #require(TimeZoneResolver.knownZone(tzid))
        guard case .iana(let table) = zone else {
            Issue.record("\(tzid) did not resolve to a Foundation zone")
            return
        }
        let timeZone = table.timeZone
        let expected = try #require(TimeZone(identifier: iana))
        let instants = [0, 1_780_000_000, 1_800_000_000].map { Date(timeIntervalSince1970: TimeInterval($0)) }
        #expect(instants.map(timeZone.secondsFromGMT) == instants.map(expected.secondsFromGMT))
    }

    @Test(arguments: ["UTC", "utc", "GMT", "Etc/UTC", "Z"])
    func utcNames(_ tzid: String) throws {
        let zone = try #require(TimeZoneResolver.knownZone(tzid))
        #expect(zone.offset(atEpoch: 1_780_000_000) == 0)
    }

    @Test func tzidUTCWithoutVTIMEZONE() throws {
        let ics = """
            BEGIN:VCALENDAR\r
            BEGIN:VEVENT\r
            UID:u\r
            DTSTART;TZID=UTC:20260601T100000\r
            END:VEVENT\r
            END:VCALENDAR\r

            """
        let document = try ICalendarParser(defaultTimeZone: Support.stockholm).parse(Data(ics.utf8))
        #expect(document.problems.isEmpty)
        #expect(document.events.first?.start.date == Support.date("2026-06-01T10:00:00Z"))
    }

    @Test func ambiguousAutumnTimeIsTheFirstInstant() {
        let zone = ZoneRules.foundation(Support.stockholm)
        // 02:30 on 25 October 2026 happens twice; the first is 00:30Z (CEST).
        let local = LocalDateTime(year: 2026, month: 10, day: 25, hour: 2, minute: 30).epochSeconds
        #expect(zone.epoch(forLocal: local) == Int(Support.date("2026-10-25T00:30:00Z").timeIntervalSince1970))
    }

    @Test(arguments: [
        "Europe/Stockholm", "America/New_York", "Australia/Sydney", "Europe/Moscow", "Pacific/Apia", "America/Caracas",
        "Asia/Tehran", "America/Sao_Paulo", "Africa/Casablanca",
    ])
    func transitionTableMatchesFoundation(_ identifier: String) throws {
        let timeZone = try #require(TimeZone(identifier: identifier))
        let table = ZoneTable(timeZone)
        var epoch = Int(Support.date("1960-01-01T00:00:00Z").timeIntervalSince1970)
        let stop = Int(Support.date("2045-01-01T00:00:00Z").timeIntervalSince1970)
        var mismatches: [String] = []
        while epoch < stop {
            let date = Date(timeIntervalSince1970: TimeInterval(epoch))
            if table.offset(atEpoch: epoch) != timeZone.secondsFromGMT(for: date) {
                mismatches.append(Support.iso(date))
            }
            epoch += 5 * 3600 + 1234
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }

    @Test func customZoneMatchesFoundationOverManyYears() throws {
        let document = try Support.document("vtimezone-only-custom-tzid.ics")
        let event = try #require(document.events.first)
        guard case .custom(let custom) = event.start.zone else {
            Issue.record("expected a zone built from the VTIMEZONE")
            return
        }
        let stockholm = Support.stockholm
        var epoch = Int(Support.date("1996-01-01T00:00:00Z").timeIntervalSince1970)
        let stop = Int(Support.date("2040-01-01T00:00:00Z").timeIntervalSince1970)
        while epoch < stop {
            let date = Date(timeIntervalSince1970: TimeInterval(epoch))
            #expect(custom.offset(atEpoch: epoch) == stockholm.secondsFromGMT(for: date), "\(Support.iso(date))")
            epoch += 6 * 3600 + 17
        }
    }
}
