import DigestTesting
import Foundation
import Testing

@testable import ICalendar

/// Bad input: what throws, what is skipped, and that no mutation of any fixture crashes or hangs the parser.
@Suite struct RobustnessTests {
    let parser = ICalendarParser(defaultTimeZone: Support.stockholm)

    @Test func htmlIsNotICalendar() {
        #expect(throws: ICalendarError.notICalendar) {
            try parser.parse(Data("<!doctype html><html><body>Not found</body></html>".utf8))
        }
    }

    @Test func emptyDataIsNotICalendar() {
        #expect(throws: ICalendarError.notICalendar) { try parser.parse(Data()) }
    }

    @Test func binaryDataThrows() {
        #expect(throws: ICalendarError.binary) {
            try parser.parse(Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00]))
        }
    }

    @Test func utf16WithByteOrderMarkIsRead() throws {
        let ics =
            "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:u16\r\nSUMMARY:Möte\r\nDTSTART:20260101T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        for encoding in [String.Encoding.utf16LittleEndian, .utf16BigEndian] {
            let bom: [UInt8] = encoding == .utf16LittleEndian ? [0xFF, 0xFE] : [0xFE, 0xFF]
            let data = Data(bom) + (ics.data(using: encoding) ?? Data())
            let document = try parser.parse(data)
            #expect(document.events.map(\.summary) == ["Möte"])
        }
    }

    @Test func tooLargeDataThrowsWithSizes() {
        let small = ICalendarParser(defaultTimeZone: Support.stockholm, limits: ICalendarLimits(maxBytes: 10))
        #expect(throws: ICalendarError.tooLarge(bytes: 17, limit: 10)) {
            try small.parse(Data("BEGIN:VCALENDAR\r\n".utf8))
        }
        #expect(
            ICalendarError.tooLarge(bytes: 17, limit: 10).description
                == "calendar is 17 bytes, more than the limit of 10 bytes")
    }

    @Test func occurrenceLimitIsReported() throws {
        let limits = ICalendarLimits(maxOccurrencesPerEvent: 5)
        let ics =
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:minutely\nDTSTART:20260101T000000Z\nRRULE:FREQ=MINUTELY\nEND:VEVENT\nEND:VCALENDAR\n"
        let document = try ICalendarParser(defaultTimeZone: Support.stockholm, limits: limits).parse(Data(ics.utf8))
        let result = document.expand(
            from: Support.date("2026-01-01T00:00:00Z"), to: Support.date("2026-02-01T00:00:00Z"))
        #expect(result.occurrences.count == 5)
        #expect(
            result.problems.map(\.description) == [
                "line 2: event minutely has more than 5 occurrences in the window; the rest are left out"
            ])
    }

    @Test func ruleThatNeverMatchesStops() throws {
        let ics =
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:feb30\nDTSTART:20260130T100000Z\nRRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30\nEND:VEVENT\nEND:VCALENDAR\n"
        let document = try parser.parse(Data(ics.utf8))
        let result = document.expand(
            from: Support.date("2026-01-01T00:00:00Z"), to: Support.date("9999-01-01T00:00:00Z"))
        #expect(result.occurrences.map { Support.iso($0.start) } == ["2026-01-30T10:00:00Z"])
        #expect(
            result.problems.map(\.description) == [
                "line 2: RRULE of event feb30 stopped after 200000 periods without reaching the window's end (maxIterationsPerEvent)"
            ])
    }

    @Test func farWindowOfAnOldSecondlyRuleSkipsAhead() throws {
        let ics =
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:old\nDTSTART:19700101T090000Z\nRRULE:FREQ=SECONDLY;INTERVAL=7\nEND:VEVENT\nEND:VCALENDAR\n"
        let document = try parser.parse(Data(ics.utf8))
        let result = document.expand(
            from: Support.date("2026-01-01T00:00:00Z"), to: Support.date("2026-01-01T00:01:00Z"))
        #expect(result.problems.isEmpty)
        // 2026-01-01T00:00:00Z is 3 seconds past a multiple of 7 seconds after DTSTART.
        #expect(result.occurrences.map { Support.iso($0.start) }.first == "2026-01-01T00:00:04Z")
        #expect(result.occurrences.count == 8)
        #expect(result.occurrences.allSatisfy { Int($0.start.timeIntervalSince1970 - 32_400) % 7 == 0 })
    }

    @Test func eventMissingItsENDDoesNotSwallowTheNextEvent() throws {
        let ics = """
            BEGIN:VCALENDAR
            BEGIN:VEVENT
            UID:lost-end
            DTSTART:20260101T100000Z
            BEGIN:VEVENT
            UID:next
            DTSTART:20260102T100000Z
            END:VEVENT
            END:VCALENDAR

            """
        let document = try parser.parse(Data(ics.utf8))
        #expect(document.events.map(\.uid) == ["next"])
        #expect(document.problems.map(\.description) == ["line 2: VEVENT not closed before BEGIN:VEVENT; skipped"])
    }

    @Test func unterminatedCalendarKeepsWhatItHas() throws {
        let ics = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nDTSTART:20260101T100000Z\nEND:VEVENT\n"
        let document = try parser.parse(Data(ics.utf8))
        #expect(document.events.count == 1)
        #expect(document.problems.map(\.description) == ["line 1: VCALENDAR not closed (truncated?)"])
    }

    @Test(arguments: Support.icsFixtureNames)
    func fuzzedFixturesNeverCrashOrHang(_ name: String) throws {
        let original = [UInt8](try Support.data(name))
        var random = SplitMix64(seed: UInt64(name.utf8.count) &* 7919)
        let interesting: [UInt8] = Array(";:,=\"\\\r\n \t0123456789TZ-+".utf8) + [0xC3, 0xA5, 0xE2, 0x80, 0xFF]
        let windowStart = Support.date("2026-01-01T00:00:00Z")
        let windowEnd = Support.date("2026-07-01T00:00:00Z")
        for iteration in 0..<300 {
            var bytes = original
            let mutations = Int.random(in: 1...8, using: &random)
            for _ in 0..<mutations where !bytes.isEmpty {
                let index = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<5, using: &random) {
                case 0: bytes[index] = UInt8.random(in: 1...255, using: &random)
                case 1: bytes[index] = interesting.randomElement(using: &random)!
                case 2: bytes.remove(at: index)
                case 3: bytes.insert(interesting.randomElement(using: &random)!, at: index)
                default: bytes.removeSubrange(index..<min(bytes.count, index + Int.random(in: 1...40, using: &random)))
                }
            }
            if iteration % 10 == 0 {
                bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &random)))
            }
            let limits = ICalendarLimits(maxOccurrencesPerEvent: 100, maxIterationsPerEvent: 2000)
            guard
                let document = try? ICalendarParser(defaultTimeZone: Support.stockholm, limits: limits).parse(
                    Data(bytes))
            else { continue }
            let result = document.expand(from: windowStart, to: windowEnd)
            #expect(result.occurrences.count <= 100 * max(1, document.events.count))
            #expect(zip(result.occurrences, result.occurrences.dropFirst()).allSatisfy { $0.start <= $1.start })
        }
    }

    /// Input whose meaning the RFC leaves open or forbids, read one way and reported, since other readers differ
    /// (found in recurring-ical-events' and icalendar's corpora: multiple_rrule, issue_201, issue_1633).
    @Test func undefinedInputIsReadAndReported() throws {
        let text = """
            BEGIN:VCALENDAR
            BEGIN:VEVENT
            UID:count
            DTSTART;TZID=Europe/London:20230112T100000
            RRULE:FREQ=MONTHLY;BYDAY=2MO;COUNT=2
            END:VEVENT
            BEGIN:VEVENT
            UID:mixed
            DTSTART;VALUE=DATE:20230724
            DTEND:20230817T000000Z
            END:VEVENT
            BEGIN:VEVENT
            UID:period
            DTSTART:19970101T180000Z
            RDATE;VALUE=PERIOD:19970101/19970102
            END:VEVENT
            END:VCALENDAR
            """.replacingOccurrences(of: "\n", with: "\r\n")
        let document = try parser.parse(Data(text.utf8))
        #expect(
            document.problems.map(\.description) == [
                "line 10: DTEND 20230817T000000Z is a DATE-TIME but DTSTART 20230724 a DATE (RFC 5545 section 3.8.2.2); read as written",
                "line 15: RDATE PERIOD \"19970101/19970102\" starts with a DATE, not a DATE-TIME (RFC 5545 section 3.3.9); read as starting at midnight",
            ])
        let (occurrences, problems) = document.expand(
            from: Support.date("2023-01-01T00:00:00Z"), to: Support.date("2023-06-01T00:00:00Z"))
        // DTSTART and the one 2nd Monday COUNT leaves (RFC 5545 counts DTSTART as the first), with the problem.
        #expect(
            occurrences.filter { $0.event.uid == "count" }.map { Support.iso($0.start) } == [
                "2023-01-12T10:00:00Z", "2023-02-13T10:00:00Z",
            ])
        #expect(
            problems.map(\.description) == [
                "line 2: DTSTART of event count is not an instance of its RRULE with COUNT=2 (RFC 5545 section 3.8.2.4); counted as the first of the COUNT occurrences, which other programs may not do"
            ])
    }

    @Test("events read on every core give the events and problems of one reader, each unknown TZID once")
    func eventsReadInParallelReportAsOneReader() throws {
        var text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
        var line = 3
        var expected: [String] = []
        var uids: [String] = []
        for index in 0..<1_000 {
            text += "BEGIN:VEVENT\r\nUID:e\(index)\r\n"
            let begin = line
            line += 2
            if index % 97 == 5 {
                expected.append("line \(begin): VEVENT (UID e\(index)) has no DTSTART; skipped")
            } else {
                // Two unknown zones, each used by events that different workers read: reported where first used.
                let zone = index % 250 == 40 ? "Nowhere" : index % 300 == 299 ? "Elsewhere" : "Europe/Stockholm"
                text += "DTSTART;TZID=\(zone):20270301T100000\r\n"
                if zone == "Nowhere" && index == 40 || zone == "Elsewhere" && index == 299 {
                    expected.append(
                        "line \(line): unknown TZID \"\(zone)\" (no IANA or Windows name, no VTIMEZONE); read in the default zone"
                    )
                }
                line += 1
                uids.append("e\(index)")
            }
            if index % 89 == 3 {
                text += "RDATE:nonsense\r\n"
                expected.append("line \(line): invalid RDATE \"nonsense\"; ignored")
                line += 1
            }
            text += "END:VEVENT\r\n"
            line += 1
        }
        text += "END:VCALENDAR\r\n"
        let document = try parser.parse(Data(text.utf8))
        #expect(document.events.map { $0.uid ?? "" } == uids)
        #expect(document.problems.map(\.description) == expected)
    }
}
