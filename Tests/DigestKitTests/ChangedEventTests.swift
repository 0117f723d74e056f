import Foundation
import Testing

@testable import DigestKit

@Suite("Moved and cancelled events")
struct ChangedEventTests {
    let zone = TimeZone(identifier: "Europe/Stockholm")!

    func calendar(_ body: String) -> Data {
        let lines =
            ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//SV"] + body.split(separator: "\n").map(String.init)
            + ["END:VCALENDAR"]
        return Data(lines.joined(separator: "\r\n").utf8)
    }

    let before = """
        BEGIN:VEVENT
        UID:single@test
        DTSTAMP:20261120T000000Z
        DTSTART;TZID=Europe/Stockholm:20261208T100000
        DTEND;TZID=Europe/Stockholm:20261208T110000
        SUMMARY:Frukostmöte
        END:VEVENT
        BEGIN:VEVENT
        UID:series@test
        DTSTAMP:20261120T000000Z
        DTSTART;TZID=Europe/Stockholm:20261203T130000
        DURATION:PT1H
        RRULE:FREQ=WEEKLY;COUNT=3
        SUMMARY:Rådgivning
        END:VEVENT
        BEGIN:VEVENT
        UID:gone@test
        DTSTAMP:20261120T000000Z
        DTSTART;TZID=Europe/Stockholm:20261211T090000
        DTEND;TZID=Europe/Stockholm:20261211T100000
        SUMMARY:Workshop
        END:VEVENT
        """

    let after = """
        BEGIN:VEVENT
        UID:single@test
        DTSTAMP:20261127T000000Z
        SEQUENCE:1
        DTSTART;TZID=Europe/Stockholm:20261209T140000
        DTEND;TZID=Europe/Stockholm:20261209T150000
        SUMMARY:Frukostmöte
        END:VEVENT
        BEGIN:VEVENT
        UID:series@test
        DTSTAMP:20261120T000000Z
        DTSTART;TZID=Europe/Stockholm:20261203T130000
        DURATION:PT1H
        RRULE:FREQ=WEEKLY;COUNT=3
        SUMMARY:Rådgivning
        END:VEVENT
        BEGIN:VEVENT
        UID:series@test
        RECURRENCE-ID;TZID=Europe/Stockholm:20261210T130000
        DTSTAMP:20261127T000000Z
        DTSTART;TZID=Europe/Stockholm:20261210T130000
        DURATION:PT1H
        STATUS:CANCELLED
        SUMMARY:Rådgivning
        END:VEVENT
        BEGIN:VEVENT
        UID:gone@test
        DTSTAMP:20261127T000000Z
        DTSTART;TZID=Europe/Stockholm:20261211T090000
        DTEND;TZID=Europe/Stockholm:20261211T100000
        STATUS:CANCELLED
        SUMMARY:Workshop
        END:VEVENT
        """

    @Test("a moved event keeps its id and is listed as moved; cancelled ones as cancelled, only to earlier readers")
    func changes() throws {
        let newsletter = try DigestConfig.load(from: TestSupport.root.appendingPathComponent("digest.yaml")).newsletter
        let source = try YAMLDocumentFixture.source()
        let reader = CalendarItems(source: source, timeZone: zone)
        let window = DateInterval(start: TestSupport.demoNow, duration: 28 * 86_400)
        let first = try reader.items(from: calendar(before), window: window).items
        let second = try reader.items(from: calendar(after), window: window).items
        #expect(first.count == 5)
        #expect(Set(first.map(\.id)) == Set(second.map(\.id)))
        #expect(second.filter(\.cancelled).map(\.title).sorted() == ["Rådgivning", "Workshop"])

        let planner = DigestPlanner(now: TestSupport.demoNow, newsletter: newsletter)
        let subscriber = Subscriber(email: "a@example.com")
        let everything = { (items: [Item]) in items.map { Selection(item: $0, reasons: [.everything]) } }
        let sent = planner.records(
            after: planner.plan(everything(first), for: subscriber, language: .sv, sent: [:])
        )
        let content = planner.plan(everything(second), for: subscriber, language: .sv, sent: sent)
        #expect(content.changed.map(\.item.title) == ["Frukostmöte", "Rådgivning", "Workshop"])
        #expect(content.changed.map(\.item.cancelled) == [false, true, true])
        // The series' two other occurrences are one entry.
        #expect(content.events.map(\.item.title) == ["Rådgivning"])
        #expect(content.events.first?.item.series?.starts.count == 2)

        let newcomer = planner.plan(everything(second), for: subscriber, language: .sv, sent: [:])
        #expect(newcomer.changed.isEmpty)
        #expect(newcomer.events.map(\.item.title) == ["Rådgivning", "Frukostmöte"])
        // A newcomer sees the cancelled occurrence as the series' exception.
        #expect(newcomer.events.first?.item.series?.cancelled.count == 1)
    }
}

extension ChangedEventTests {
    @Test("an EXDATE takes out an instance: it comes back cancelled, for the change notice and the series' exceptions")
    func excludedInstance() throws {
        let text = """
            BEGIN:VCALENDAR
            VERSION:2.0
            PRODID:-//test//EN
            BEGIN:VEVENT
            UID:weekly@test
            DTSTAMP:20261127T000000Z
            DTSTART;TZID=Europe/Stockholm:20261203T130000
            DTEND;TZID=Europe/Stockholm:20261203T150000
            RRULE:FREQ=WEEKLY;COUNT=4
            EXDATE;TZID=Europe/Stockholm:20261217T130000
            SUMMARY:Rådgivning
            END:VEVENT
            END:VCALENDAR
            """
        let source = try YAMLDocumentFixture.source()
        let window = DateInterval(start: TestSupport.demoNow, duration: 28 * 86_400)
        let items = try CalendarItems(source: source, timeZone: zone).items(
            from: Data(text.replacingOccurrences(of: "\n", with: "\r\n").utf8), window: window
        ).items
        #expect(items.filter { !$0.cancelled }.count == 3)
        let removed = items.filter(\.cancelled)
        #expect(removed.count == 1)
        #expect(removed.first?.start == Date(timeIntervalSince1970: 1_797_508_800))  // 17 December 13:00
        let newsletter = try DigestConfig.load(from: TestSupport.root.appendingPathComponent("digest.yaml")).newsletter
        let content = DigestPlanner(now: TestSupport.demoNow, newsletter: newsletter).plan(
            items.map { Selection(item: $0, reasons: [.everything]) }, for: Subscriber(email: "a@example.com"),
            language: .sv, sent: [:])
        #expect(content.events.count == 1)
        #expect(content.events.first?.item.series?.cancelled == [Date(timeIntervalSince1970: 1_797_508_800)])
    }
}

extension ChangedEventTests {
    @Test("a cancelled RANGE=THISANDFUTURE override: its instance and the later ones come back cancelled")
    func cancelledFromHereOn() throws {
        let text = """
            BEGIN:VCALENDAR
            VERSION:2.0
            PRODID:-//test//EN
            BEGIN:VEVENT
            UID:weekly@test
            DTSTAMP:20261127T000000Z
            DTSTART;TZID=Europe/Stockholm:20261203T130000
            DTEND;TZID=Europe/Stockholm:20261203T150000
            RRULE:FREQ=WEEKLY;COUNT=4
            SUMMARY:Rådgivning
            END:VEVENT
            BEGIN:VEVENT
            UID:weekly@test
            DTSTAMP:20261128T000000Z
            SEQUENCE:1
            RECURRENCE-ID;RANGE=THISANDFUTURE;TZID=Europe/Stockholm:20261217T130000
            DTSTART;TZID=Europe/Stockholm:20261217T130000
            DTEND;TZID=Europe/Stockholm:20261217T150000
            STATUS:CANCELLED
            SUMMARY:Rådgivning
            END:VEVENT
            END:VCALENDAR
            """
        let source = try YAMLDocumentFixture.source()
        let window = DateInterval(start: TestSupport.demoNow, duration: 28 * 86_400)
        let items = try CalendarItems(source: source, timeZone: zone).items(
            from: Data(text.replacingOccurrences(of: "\n", with: "\r\n").utf8), window: window
        ).items
        #expect(
            items.filter { !$0.cancelled }.compactMap(\.start)
                == [1_796_299_200, 1_796_904_000].map { Date(timeIntervalSince1970: $0) })
        // 17 and 24 December 13:00
        #expect(
            items.filter(\.cancelled).compactMap(\.start)
                == [1_797_508_800, 1_798_113_600].map { Date(timeIntervalSince1970: $0) })
        let newsletter = try DigestConfig.load(from: TestSupport.root.appendingPathComponent("digest.yaml")).newsletter
        let content = DigestPlanner(now: TestSupport.demoNow, newsletter: newsletter).plan(
            items.map { Selection(item: $0, reasons: [.everything]) }, for: Subscriber(email: "a@example.com"),
            language: .sv, sent: [:])
        #expect(content.events.first?.item.series?.cancelled.count == 2)
    }
}

/// A source config built through the same decoder as `digest.yaml`.
enum YAMLDocumentFixture {
    static func source() throws -> SourceConfig {
        let document = try YAMLDocument(text: "name: test\nkind: event\nurl: test.ics\n", displayPath: "test.yaml")
        return try document.decode(SourceConfig.self)
    }
}
