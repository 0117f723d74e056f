import Foundation
import Testing

@testable import ICalendar

/// `ICalendarWriter`: line form and a round trip through the parser.
@Suite struct WriterTests {
    static let stamp = Support.date("2026-11-29T08:00:00Z")

    static let events: [PublishedEvent] = [
        PublishedEvent(
            uid: "seminar-1@digest", sequence: 2, start: Support.date("2026-03-24T08:00:00Z"),
            end: Support.date("2026-03-24T10:30:00Z"), summary: "Seminarium: EU-stöd, steg 1; för alla",
            description: "Rad ett\nRad två med \\ och ,;\n"
                + String(repeating: "Lång text med åäö och emoji 🎉. ", count: 8),
            location: "Dalarnas Hus, Falun", url: "https://example.com/e/1", organizerName: "Almi; Dalarna",
            organizerEmail: "info@almi.example", status: .confirmed, stamp: stamp),
        PublishedEvent(
            uid: "summer@digest", start: Support.date("2026-07-01T13:00:00Z"),
            end: Support.date("2026-07-01T14:00:00Z"),
            summary: "Sommarträff", stamp: stamp),
        PublishedEvent(
            uid: "fair@digest", start: Support.date("2026-08-13T22:00:00Z"), end: Support.date("2026-08-16T22:00:00Z"),
            isAllDay: true, summary: "Mässa", status: .tentative, stamp: stamp),
    ]

    @Test func linesAreCRLFAndFoldedAt75OctetsWithoutSplittingCharacters() {
        let text = ICalendarWriter(productID: "-//digest//ICalendar//EN").publish(
            Self.events, timeZone: Support.stockholm)
        #expect(text.hasPrefix("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//digest//ICalendar//EN\r\n"))
        #expect(text.contains("METHOD:PUBLISH\r\n"))
        #expect(text.hasSuffix("END:VCALENDAR\r\n"))
        let lines = text.components(separatedBy: "\r\n").dropLast()
        for line in lines {
            #expect(line.utf8.count <= 75, "\(line)")
            #expect(!line.contains("\n") && !line.contains("\r"))
        }
        #expect(lines.contains { $0.hasPrefix(" ") })
        #expect(text.contains("DTSTART;TZID=Europe/Stockholm:20260324T090000\r\n"))
        #expect(text.contains("DTSTART;VALUE=DATE:20260814\r\nDTEND;VALUE=DATE:20260817\r\n"))
        #expect(text.contains("SUMMARY:Seminarium: EU-stöd\\, steg 1\\; för alla\r\n"))
        #expect(text.contains("ORGANIZER;CN=\"Almi; Dalarna\":mailto:info@almi.example\r\n"))
        #expect(text.contains("BEGIN:VTIMEZONE\r\nTZID:Europe/Stockholm\r\n"))
    }

    @Test(arguments: ["Europe/Stockholm", "America/New_York", "UTC"])
    func roundTripGivesTheSameOccurrences(_ zoneName: String) throws {
        let zone = try #require(TimeZone(identifier: zoneName))
        let text = ICalendarWriter(productID: "-//digest//EN").publish(Self.events, timeZone: zone)
        let document = try ICalendarParser(defaultTimeZone: zone).parse(Data(text.utf8))
        #expect(document.problems.isEmpty, "\(document.problems)")
        let occurrences = document.occurrences(
            from: Support.date("2026-01-01T00:00:00Z"), to: Support.date("2027-01-01T00:00:00Z"))
        let allDayEnd = zoneName == "Europe/Stockholm" ? Support.date("2026-08-16T22:00:00Z") : nil
        #expect(occurrences.count == 3)
        for (occurrence, event) in zip(occurrences, Self.events) {
            #expect(occurrence.event.uid == event.uid)
            #expect(occurrence.event.summary == event.summary)
            #expect(occurrence.event.description == event.description)
            #expect(occurrence.event.location == event.location)
            #expect(occurrence.event.sequence == event.sequence)
            #expect(occurrence.event.status == event.status)
            #expect(occurrence.event.stamp == Self.stamp)
            #expect(occurrence.isAllDay == event.isAllDay)
            if !event.isAllDay {
                #expect(occurrence.start == event.start)
                #expect(occurrence.end == event.end)
            }
        }
        if let allDayEnd {
            #expect(occurrences[2].start == Self.events[2].start)
            #expect(occurrences[2].end == allDayEnd)
        }
        #expect(occurrences[0].event.organizer == Organizer(name: "Almi; Dalarna", email: "info@almi.example"))
        #expect(occurrences[0].event.url == "https://example.com/e/1")
    }

    @Test func utcZoneWritesZAndNoVTIMEZONE() throws {
        let text = ICalendarWriter(productID: "-//digest//EN").publish(
            Self.events, timeZone: TimeZone(identifier: "UTC")!)
        #expect(text.contains("DTSTART:20260324T080000Z\r\n"))
        #expect(!text.contains("VTIMEZONE"))
    }

    @Test func foldingNeverSplitsAUTF8Sequence() {
        for length in 60...90 {
            let line = "X:" + String(repeating: "é", count: length) + "🎉"
            let folded = ICalendarWriter.fold(line)
            let unfolded = folded.replacingOccurrences(of: "\r\n ", with: "").replacingOccurrences(of: "\r\n", with: "")
            #expect(unfolded == line)
            for piece in folded.components(separatedBy: "\r\n").dropLast() {
                #expect(piece.utf8.count <= 75)
            }
        }
    }
}
