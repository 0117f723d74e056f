import Foundation
import Testing

@testable import ICalendar

/// Content lines, parameters and TEXT values (RFC 5545 sections 3.1–3.3).
@Suite struct ContentLineTests {
    @Test func quotedMultiValuedAndCaseInsensitiveParameters() throws {
        let line = try #require(
            ContentLineReader.parse(
                Array(
                    "attendee;Member=\"mailto:a@x.se\",\"mailto:b@x.se\";role=CHAIR;X-Q=\"a;b:c\":mailto:c@x.se".utf8),
                line: 3))
        #expect(line.name == "ATTENDEE")
        #expect(line.parameters.map(\.name) == ["MEMBER", "ROLE", "X-Q"])
        #expect(line.parameters[0].values == ["mailto:a@x.se", "mailto:b@x.se"])
        #expect(line.parameter("X-Q") == "a;b:c")
        #expect(line.value == "mailto:c@x.se")
        #expect(line.line == 3)
    }

    @Test func lineWithoutColonIsReportedNotFatal() throws {
        let (lines, problems) = ContentLineReader.read(
            Array("BEGIN:VCALENDAR\r\ngarbage here\r\nEND:VCALENDAR\r\n".utf8))
        #expect(lines.map(\.name) == ["BEGIN", "END"])
        #expect(problems.map(\.description) == ["line 2: unreadable content line \"garbage here\""])
    }

    @Test func foldsWithSpaceOrTabAndLineNumbersCountPhysicalLines() {
        let text = "BEGIN:VCALENDAR\r\nSUMMARY:Hel\r\n lo\r\n\tworld\r\nX-A:1\nEND:VCALENDAR"
        let (lines, _) = ContentLineReader.read(Array(text.utf8))
        #expect(lines.map(\.value) == ["VCALENDAR", "Helloworld", "1", "VCALENDAR"])
        #expect(lines.map(\.line) == [1, 2, 5, 6])
    }

    @Test("a calendar read in pieces gives the lines, numbers and problems of one pass")
    func piecesReadAsOnePass() {
        // Folds, bare LFs, blank lines, whitespace-only lines and unreadable lines, so that pieces start next to
        // each; a fold never starts a piece.
        var text = "\u{FEFF}BEGIN:VCALENDAR\r\n"
        for index in 0..<400 {
            text += "SUMMARY;LANGUAGE=sv:Möte \(index)\r\n  fortsatt\r\n\tmer\r\n"
            if index % 7 == 0 { text += "\r\n" }
            if index % 11 == 0 { text += "   \n" }
            if index % 13 == 0 { text += "trasig rad \(index)\n" }
            text += "X-N:\(index)\n"
        }
        text += "END:VCALENDAR"
        let bytes = Array(text.utf8)
        let whole = ContentLineReader.read(bytes, pieces: 1)
        #expect(whole.lines.count == 802)
        #expect(whole.problems.count == 31)
        for pieces in [2, 3, 17, 64, 5_000] {
            let starts = ContentLineReader.pieceStarts(of: bytes, from: 3, count: pieces)
            #expect(starts.count > 1)
            #expect(starts.dropFirst().allSatisfy { bytes[$0 - 1] == 0x0A && bytes[$0] != 0x20 && bytes[$0] != 0x09 })
            let read = ContentLineReader.read(bytes, pieces: pieces)
            #expect(read.lines.map(\.line) == whole.lines.map(\.line))
            #expect(read.lines.map(\.value) == whole.lines.map(\.value))
            #expect(read.lines.map(\.name) == whole.lines.map(\.name))
            #expect(read.problems == whole.problems)
        }
    }

    @Test func textEscapes() {
        #expect(TextValue.unescape("a\\,b\\;c\\nd\\Ne\\\\f\\") == "a,b;c\nd\ne\\f\\")
        #expect(TextValue.splitList("a\\,b, c ,d\\\\,e") == ["a,b", "c", "d\\", "e"])
        #expect(TextValue.escape("a,b;c\\d\r\ne\nf") == "a\\,b\\;c\\\\d\\ne\\nf")
    }

    @Test("unescaping by runs of bytes agrees with unescaping character by character")
    func textEscapesAgainstReference() {
        func reference(_ text: String) -> String {
            var result = ""
            var escaping = false
            for character in text {
                if escaping {
                    result += character == "n" || character == "N" ? "\n" : String(character)
                    escaping = false
                } else if character == "\\" {
                    escaping = true
                } else {
                    result.append(character)
                }
            }
            return escaping ? result + "\\" : result
        }
        let alphabet = Array("ab ,;\\nNåé€\t")
        var random = SystemRandomNumberGenerator()
        for _ in 0..<3_000 {
            let text = String((0..<Int.random(in: 0...40, using: &random)).map { _ in alphabet.randomElement()! })
            #expect(TextValue.unescape(text) == reference(text), "\(text.debugDescription)")
            let expected: [String]
            do {
                // Split the reference way: on commas outside escapes.
                var parts: [String] = []
                var current = ""
                var escaping = false
                for character in text {
                    if escaping {
                        current += "\\" + String(character)
                        escaping = false
                    } else if character == "\\" {
                        escaping = true
                    } else if character == "," {
                        parts.append(current)
                        current = ""
                    } else {
                        current.append(character)
                    }
                }
                parts.append(escaping ? current + "\\" : current)
                expected = parts.map { reference($0).trimmingSpaces() }
            }
            #expect(TextValue.splitList(text) == expected, "\(text.debugDescription)")
        }
    }

    @Test func dateAndDateTimeValues() throws {
        #expect(DateParsing.parse("20260230") == nil)
        #expect(DateParsing.parse("2026-03-01") == nil)
        #expect(DateParsing.parse("20260301T250000") == nil)
        let utc = try #require(DateParsing.parse("20260301T101500Z"))
        #expect(utc.isUTC && !utc.isDate)
        #expect(utc.local == LocalDateTime(year: 2026, month: 3, day: 1, hour: 10, minute: 15))
        #expect(DateParsing.parse("20240229")?.isDate == true)
        #expect(DateParsing.parseOffset("+0130") == 5400)
        #expect(DateParsing.parseOffset("-053045") == -19845)
        #expect(DateParsing.parseOffset("0100") == nil)
    }

    @Test func durations() {
        #expect(ICalDuration(parsing: "P1W") == ICalDuration(days: 7))
        #expect(ICalDuration(parsing: "PT1H30M") == ICalDuration(seconds: 5400))
        #expect(ICalDuration(parsing: "-P1DT2H3M4S") == ICalDuration(days: -1, seconds: -7384))
        #expect(ICalDuration(parsing: "P") == nil)
        #expect(ICalDuration(parsing: "PT1D") == nil)
        #expect(ICalDuration(parsing: "1H") == nil)
        #expect(ICalDuration(days: 1, seconds: 5400).description == "P1DT1H30M")
    }

    @Test func durationOfADayKeepsTheWallClockAcrossDST() throws {
        let ics = """
            BEGIN:VCALENDAR
            BEGIN:VEVENT
            UID:d
            DTSTART;TZID=Europe/Stockholm:20260328T120000
            DURATION:P1D
            END:VEVENT
            END:VCALENDAR

            """
        let document = try ICalendarParser(defaultTimeZone: Support.stockholm).parse(Data(ics.utf8))
        let occurrence = try #require(
            document.occurrences(from: Support.date("2026-03-01T00:00:00Z"), to: Support.date("2026-04-01T00:00:00Z"))
                .first)
        #expect(occurrence.end.timeIntervalSince(occurrence.start) == 23 * 3600)
    }

    @Test func recurrenceRuleParsing() throws {
        let rule = try RecurrenceRule.parse("freq=monthly;byday=1MO,-1fr,TU;bysetpos=-1;wkst=su;X-NAME=1", zone: .utc)
            .get()
        #expect(rule.frequency == .monthly)
        #expect(
            rule.byDay == [
                WeekdayNum(ordinal: 1, weekday: .monday), WeekdayNum(ordinal: -1, weekday: .friday),
                WeekdayNum(weekday: .tuesday),
            ])
        #expect(rule.bySetPos == [-1])
        #expect(rule.weekStart == .sunday)
        for bad in [
            "", "BYDAY=MO", "FREQ=DAILY;INTERVAL=0", "FREQ=DAILY;BYMONTH=13", "FREQ=DAILY;BYDAY=XX",
            "FREQ=DAILY;COUNT=x", "FREQ=DAILY;BYMONTHDAY=0",
        ] {
            #expect(throws: (any Error).self, "\(bad)") { try RecurrenceRule.parse(bad, zone: .utc).get() }
        }
    }
}
