import Foundation
import Testing

@testable import ICalendar

/// Parsing and expanding a large calendar stays fast.
@Suite struct PerformanceTests {
    /// A calendar of `count` events: weekly, daily-on-weekdays and monthly series in Stockholm time, with overrides,
    /// plus single and all-day events.
    static func largeCalendar(count: Int) -> Data {
        var text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//perf//EN\r\nX-WR-CALNAME:Stor kalender\r\n"
        for index in 0..<count {
            let day = 1 + index % 28
            let month = 1 + index % 12
            let date = "2026" + (month < 10 ? "0\(month)" : "\(month)") + (day < 10 ? "0\(day)" : "\(day)")
            text += "BEGIN:VEVENT\r\nUID:event-\(index)@perf\r\nDTSTAMP:20260101T000000Z\r\n"
            text += "SUMMARY:Evenemang nummer \(index)\\, med text\r\nLOCATION:Falun\r\nCATEGORIES:A,B\r\n"
            switch index % 5 {
            case 0:
                text += "DTSTART;TZID=Europe/Stockholm:\(date)T090000\r\nDTEND;TZID=Europe/Stockholm:\(date)T100000\r\n"
                text += "RRULE:FREQ=WEEKLY;BYDAY=MO\r\nEXDATE;TZID=Europe/Stockholm:\(date)T090000\r\n"
            case 1:
                text += "DTSTART;TZID=Europe/Stockholm:\(date)T130000\r\nDURATION:PT2H\r\n"
                text += "RRULE:FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;COUNT=20\r\n"
            case 2:
                text += "DTSTART:\(date)T080000Z\r\nDTEND:\(date)T090000Z\r\nRRULE:FREQ=MONTHLY;BYDAY=-1FR\r\n"
            case 3:
                text += "DTSTART;VALUE=DATE:\(date)\r\nDTEND;VALUE=DATE:\(date)\r\n"
            default:
                text +=
                    "DTSTART;TZID=W. Europe Standard Time:\(date)T150000\r\nDTEND;TZID=W. Europe Standard Time:\(date)T160000\r\n"
            }
            text += "END:VEVENT\r\n"
            if index % 5 == 0 {
                text +=
                    "BEGIN:VEVENT\r\nUID:event-\(index)@perf\r\nRECURRENCE-ID;TZID=Europe/Stockholm:\(date)T090000\r\n"
                text += "DTSTART;TZID=Europe/Stockholm:\(date)T110000\r\nDTEND;TZID=Europe/Stockholm:\(date)T120000\r\n"
                text += "SUMMARY:Flyttad\r\nEND:VEVENT\r\n"
            }
        }
        return Data((text + "END:VCALENDAR\r\n").utf8)
    }

    @Test func twentyThousandEventsParseAndExpandAYearQuickly() throws {
        let data = Self.largeCalendar(count: 20_000)
        let clock = ContinuousClock()
        var document: ICalendarDocument?
        let parseTime = try clock.measure {
            document = try ICalendarParser(defaultTimeZone: Support.stockholm).parse(data)
        }
        let parsed = try #require(document)
        #expect(parsed.problems.isEmpty)
        #expect(parsed.events.count == 24_000)
        var occurrences: [Occurrence] = []
        let expandTime = clock.measure {
            occurrences = parsed.occurrences(
                from: Support.date("2026-01-01T00:00:00Z"), to: Support.date("2027-01-01T00:00:00Z"))
        }
        #expect(occurrences.count > 200_000)
        // Generous bounds for a debug build on a busy machine; a release build is several times faster.
        #expect(parseTime < .seconds(20), "parse took \(parseTime)")
        #expect(expandTime < .seconds(60), "expansion took \(expandTime)")
        print("ICalendar performance: parse \(parseTime), expand \(expandTime), \(occurrences.count) occurrences")
    }
}
