import DigestSupport
import Foundation

/// The occurrences of one recurring event that a digest lists, gathered into one entry: "varje torsdag 13.00–15.00:
/// 3, 10 och 17 december", with the instances that keep another time and those that are cancelled.
public struct EventSeries: Sendable, Hashable {
    /// The starts of the occurrences on the series' usual weekday and time, in order.
    public var starts: [Date]
    /// How long each of those lasts (nil: no end given).
    public var duration: TimeInterval?
    /// Occurrences at another time than the rest (a moved instance): start and end.
    public var moved: [MovedOccurrence]
    /// Occurrences in the window that are cancelled.
    public var cancelled: [Date]
    /// The ids of every occurrence listed (usual and moved), for the ledger.
    public var memberIDs: [String]

    /// An occurrence at another time than the series' usual one.
    public struct MovedOccurrence: Sendable, Hashable {
        /// When it starts.
        public var start: Date
        /// When it ends, if given.
        public var end: Date?
    }
}

/// Gathers the occurrences of each recurring event in a section into one entry, keeping one item for each set of
/// occurrences so that every reader who gets the same set shares it (and its rendered fragments).
final class SeriesGrouper: Sendable {
    private let boxes = BoundedCache<[String], ItemBox>(capacity: 4_096)
    private let calendar: Calendar

    /// A grouper that reads weekdays and times in `timeZone`.
    init(timeZone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
    }

    /// `events` (sorted by start) with the occurrences of each series (same source and UID, two or more) replaced
    /// by one selection of a series item at the first occurrence; `cancelled` are the section's cancelled
    /// occurrences, shown in their series. Returns the new list and each series item's occurrences by its id.
    func group(_ events: [Selection], cancelled: [Item]) -> (events: [Selection], members: [String: [Item]]) {
        guard events.count > 1 else { return (events, [:]) }
        var byKey: [String: [Int]] = [:]
        for (index, selection) in events.enumerated() {
            guard let key = selection.itemBox.seriesKey else { continue }
            byKey[key, default: []].append(index)
        }
        guard byKey.values.contains(where: { $0.count > 1 }) else { return (events, [:]) }
        var replaced: [Int: Selection] = [:]
        var dropped: Set<Int> = []
        var members: [String: [Item]] = [:]
        for indices in byKey.values where indices.count > 1 {
            let items = indices.map { events[$0].itemBox.item }
            let exceptions = cancelled.filter { $0.uid == items[0].uid && $0.source == items[0].source }
            // Keyed by every occurrence shown, listed or cancelled: the same key is the same entry.
            let key = items.map(\.id) + ["-"] + exceptions.map(\.id)
            let box = boxes.value(for: key) { ItemBox(seriesItem(items, cancelled: exceptions)) }
            replaced[indices[0]] = events[indices[0]].sharing(box)
            members[box.item.id] = items
            dropped.formUnion(indices.dropFirst())
        }
        let grouped = events.indices.compactMap { index in
            dropped.contains(index) ? nil : replaced[index] ?? events[index]
        }
        return (grouped, members)
    }

    /// One item standing for `occurrences` of a series: the first occurrence's fields, a new id, and the series.
    private func seriesItem(_ occurrences: [Item], cancelled: [Item]) -> Item {
        // The usual weekday and time are those most occurrences have; the rest are moved instances.
        func slot(_ item: Item) -> String {
            let start = item.start ?? .distantPast
            let parts = calendar.dateComponents([.weekday, .hour, .minute], from: start)
            let length = item.end.map { Int($0.timeIntervalSince(start)) } ?? -1
            return "\(parts.weekday ?? 0)|\(parts.hour ?? 0)|\(parts.minute ?? 0)|\(length)"
        }
        var counts: [String: Int] = [:]
        for item in occurrences { counts[slot(item), default: 0] += 1 }
        let usual = occurrences.map(slot).max { (counts[$0] ?? 0, $1) < (counts[$1] ?? 0, $0) } ?? ""
        let regular = occurrences.filter { slot($0) == usual }
        var item = regular.first ?? occurrences[0]
        item.id = "sr-" + StableHash.hex((occurrences + cancelled).map(\.id).joined(separator: "|"))
        item.series = EventSeries(
            starts: regular.compactMap(\.start),
            duration: item.start.flatMap { start in item.end.map { $0.timeIntervalSince(start) } },
            moved: occurrences.filter { slot($0) != usual }.compactMap { occurrence in
                occurrence.start.map { EventSeries.MovedOccurrence(start: $0, end: occurrence.end) }
            },
            cancelled: cancelled.compactMap(\.start).sorted(),
            memberIDs: occurrences.map(\.id)
        )
        item.start = occurrences.compactMap(\.start).min() ?? item.start
        return item
    }
}
