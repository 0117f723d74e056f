import DigestSupport
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
            var limits = ICalendarLimits()
            limits.maxBytes = source.maxBytes
            limits.maxOccurrencesPerEvent = source.maxOccurrencesPerEvent
            document = try ICalendarParser(defaultTimeZone: timeZone, limits: limits).parse(data)
        } catch {
            throw SourceFailure(message: "not a usable iCalendar file: \(error)")
        }
        let expansion = document.expand(from: window.start, to: window.end)
        let problems = document.problems + expansion.problems
        var items = Parallel.map(expansion.occurrences) { item(for: $0) }
        items.append(contentsOf: cancelled(in: document, window: window))
        items.append(contentsOf: excluded(in: document, window: window))
        return (items, problems.map { "\(source.url): \($0)" })
    }

    /// The instances that cancelled events (STATUS:CANCELLED, whole series or single overrides) would have had in
    /// the window, marked cancelled, so that a digest can say "Inställt" to readers who were sent them.
    /// A cancelled RANGE=THISANDFUTURE override cancels its instance and every later one of its series.
    private func cancelled(in document: ICalendarDocument, window: DateInterval) -> [Item] {
        document.events.indices.filter { document.events[$0].status == .cancelled }.flatMap { index -> [Item] in
            var revived = document.events[index]
            revived.status = .confirmed
            var single = document
            guard revived.thisAndFuture else {
                single.events = [revived]
                return single.occurrences(from: window.start, to: window.end).map { item(for: $0, cancelled: true) }
            }
            // The later instances it cancels belong to its series: expand the series with the override revived.
            single.events = document.events.filter { $0.uid == revived.uid }.map {
                $0.line == revived.line ? revived : $0
            }
            return single.occurrences(from: window.start, to: window.end)
                .filter { $0.event.line == revived.line }
                .map { item(for: $0, cancelled: true) }
        }
    }

    /// The instances a series' EXDATEs take out in the window, marked cancelled like a cancelled override: a reader
    /// who was sent one is told "Inställt", and a series lists them as its cancelled dates.
    private func excluded(in document: ICalendarDocument, window: DateInterval) -> [Item] {
        // Each series expanded again without its EXDATEs, the series on every core.
        let series = document.events.filter { !$0.exdates.isEmpty && $0.status != .cancelled }
        return Parallel.map(series, minimumPerWorker: 16) { event -> [Item] in
            let removed = Set(event.exdates.map(\.date))
            var single = document
            var whole = event
            whole.exdates = []
            single.events = [whole]
            return single.occurrences(from: window.start, to: window.end)
                .filter { removed.contains($0.recurrenceID ?? $0.start) }
                .map { item(for: $0, cancelled: true) }
        }.flatMap { $0 }
    }

    private func item(for occurrence: Occurrence, cancelled: Bool = false) -> Item {
        let event = occurrence.event
        // A single event keeps its id when it moves; an instance of a series is known by its original start.
        let instance = occurrence.recurrenceID.map { String(Int($0.timeIntervalSince1970)) } ?? "single"
        // An event without UID (some exporters omit it) is known by its title and first start instead.
        let uid = event.uid ?? "no-uid|\(event.summary ?? "")|\(Int(event.start.date.timeIntervalSince1970))"
        let key = "\(source.name)|\(uid)|\(instance)"
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
        item.cancelled = cancelled
        item.tentative = event.status == .tentative
        return item
    }
}
