import Foundation
import ICalendar
import Logging
import Testing

@testable import DigestKit

@Suite("Each event's own calendar, for the 'add to calendar' link")
struct EventCalendarTests {
    @Test("every event of the example sources is one VEVENT that the ICalendar module reads back as it was")
    func readsBack() async throws {
        let workspace = try await Workspace.load(configFile: TestSupport.root.appendingPathComponent("digest.yaml"))
        let issue = IssueInfo(id: "2026-W49", now: TestSupport.demoNow, editorNote: nil)
        let builder = try DigestBuilder(workspace: workspace, issue: issue, secret: nil)
        let items = await SourceCollector(
            config: workspace.config, taxonomy: workspace.taxonomy, logger: Logger(label: "test")
        ).collect(window: workspace.window(at: issue.now)).items
        let events = items.filter { $0.kind == .event }
        let calendars = builder.eventCalendars(items)
        #expect(calendars.count == events.count && !events.isEmpty)
        let zone = workspace.config.newsletter.timeZone
        for (event, published) in zip(events, calendars) {
            #expect(published.id == event.id)
            let document = try ICalendarParser(defaultTimeZone: zone).parse(Data(published.calendar.utf8))
            #expect(document.events.count == 1)
            let read = try #require(document.events.first)
            #expect(read.summary == event.title)
            #expect(read.location == event.location)
            #expect(read.start.date == event.start)
            #expect(published.endsAt == event.end ?? event.start)
        }
    }

    @Test("the Google and Outlook links name the event's UTC times, or its days when it lasts whole days")
    func links() throws {
        var item = Item(id: "ev-1", kind: .event, source: "s", title: "Frukost & nätverk+")
        item.start = Date(timeIntervalSince1970: 1_796_108_400)  // 2026-12-01 07:00 UTC
        item.end = item.start!.addingTimeInterval(5400)
        item.location = "Falun"
        let zone = TimeZone(identifier: "Europe/Stockholm")!
        let links = try #require(
            CalendarLinks(item, baseURL: URL(string: "https://d.example.se/"), icsID: "ev-1", timeZone: zone))
        #expect(links.ics == "https://d.example.se/event/ev-1.ics")
        #expect(links.google.contains("&text=Frukost%20%26%20n%C3%A4tverk%2B&dates=20261201T070000Z/20261201T083000Z&"))
        #expect(links.outlook.contains("&startdt=2026-12-01T07:00:00Z&enddt=2026-12-01T08:30:00Z&"))
        item.allDay = true
        item.start = Date(timeIntervalSince1970: 1_797_030_000)  // 2026-12-11 23:00 UTC, the 12th in Stockholm
        item.end = item.start!.addingTimeInterval(86_400)
        let day = try #require(CalendarLinks(item, baseURL: nil, icsID: "ev-1", timeZone: zone))
        #expect(day.ics == nil)
        #expect(day.google.contains("&dates=20261212/20261213&"))
        #expect(day.outlook.contains("&startdt=2026-12-12&enddt=2026-12-13&allday=true&"))
    }
}
