import Foundation
import ICalendar

/// Turns a parsed calendar into one item per occurrence in a window.
struct CalendarItems: Sendable {
    let source: SourceConfig
    let timeZone: TimeZone

    /// The occurrences of `data`'s events that overlap `window`, and the problems the parser reported.
    func items(from data: Data, window: DateInterval) throws(SourceFailure) -> (items: [Item], problems: [String]) {
        let document: ICalendarDocument
        do {
            document = try ICalendarParser(defaultTimeZone: timeZone).parse(data)
        } catch {
            throw SourceFailure(message: "not a usable iCalendar file: \(error)")
        }
        let expansion = document.expand(from: window.start, to: window.end)
        let problems = document.problems + expansion.problems
        return (expansion.occurrences.map(item(for:)), problems.map { "\(source.url): \($0)" })
    }

    private func item(for occurrence: Occurrence) -> Item {
        let event = occurrence.event
        let instant = occurrence.recurrenceID ?? occurrence.start
        // An event without UID (some exporters omit it) is known by its title and first start instead.
        let uid = event.uid ?? "no-uid|\(event.summary ?? "")|\(Int(event.start.date.timeIntervalSince1970))"
        let key = "\(source.name)|\(uid)|\(Int(instant.timeIntervalSince1970))"
        var item = Item(id: "ev-" + StableHash.hex(key), kind: .event, source: source.name, title: event.summary ?? "")
        item.uid = event.uid
        item.summary = event.description ?? ""
        item.url = event.url.flatMap { URL(string: $0) }
        item.start = occurrence.start
        item.end = occurrence.end
        item.allDay = occurrence.isAllDay
        item.location = event.location
        item.organizer = event.organizer?.name
        item.categories = event.categories
        item.sequence = event.sequence
        return item
    }
}
