import Foundation

/// The items of one run, indexed once so that choosing each subscriber's selection looks only at the items that can
/// match instead of scanning every item for every subscriber.
///
/// It holds each item's folded (case- and diacritic-insensitive) text and organiser, computed once, and the positions
/// of the items by topic, organiser, kind and region. Keywords are substrings of the text, so they cannot be looked up
/// in a word index; the items that contain a keyword are found by one scan over the folded texts the first time a
/// keyword is asked for, and remembered for the rest of the run (keywords repeat across subscribers). `InterestFilter.select(from:for:)`
/// uses it; the selection is the same as `InterestFilter.select(_:for:)` scanning every item.
public struct ItemIndex: Sendable {
    /// The items, in the order selections keep.
    public var items: [Item] { boxes.map(\.item) }
    /// The items, boxed once so that every selection of an item shares it.
    let boxes: [ItemBox]
    /// What the rules look at, per item, apart so that filtering never copies whole items.
    let facts: [ItemFacts]
    /// `Suggestion.fold(title + " " + summary)` per item.
    let texts: [String]
    /// The folded organiser per item, if it has one.
    let organizers: [String?]
    let byTopic: [String: [Int]]
    let byOrganizer: [String: [Int]]
    let byKind: [ItemKind: [Int]]
    /// Items in a municipality, by municipality.
    let byRegion: [String: [Int]]
    /// Items that pass every region test: online, or tied to no municipality.
    let everywhere: [Int]
    private let keywordHits: KeywordHits

    /// Indexes `items`; the cost is one pass over them.
    public init(_ items: [Item]) {
        self.boxes = items.map(ItemBox.init)
        self.facts = items.map(ItemFacts.init)
        var texts: [String] = []
        var organizers: [String?] = []
        var byTopic: [String: [Int]] = [:]
        var byOrganizer: [String: [Int]] = [:]
        var byKind: [ItemKind: [Int]] = [:]
        var byRegion: [String: [Int]] = [:]
        var everywhere: [Int] = []
        texts.reserveCapacity(items.count)
        organizers.reserveCapacity(items.count)
        for (position, item) in items.enumerated() {
            texts.append(Suggestion.fold(item.title + " " + item.summary))
            let organizer = item.organizer.map(Suggestion.fold)
            organizers.append(organizer)
            if let organizer { byOrganizer[organizer, default: []].append(position) }
            for topic in Set(item.topics) { byTopic[topic, default: []].append(position) }
            byKind[item.kind, default: []].append(position)
            if item.online || item.regions.isEmpty {
                everywhere.append(position)
            } else {
                for region in Set(item.regions) { byRegion[region, default: []].append(position) }
            }
        }
        self.texts = texts
        self.organizers = organizers
        self.byTopic = byTopic
        self.byOrganizer = byOrganizer
        self.byKind = byKind
        self.byRegion = byRegion
        self.everywhere = everywhere
        self.keywordHits = KeywordHits()
    }

    /// The items whose folded text contains the folded keyword `folded`; found by one scan the first time a keyword
    /// is asked for, then remembered.
    func matches(of folded: String) -> KeywordMatches {
        if let known = keywordHits.lookup(folded) { return known }
        let found = KeywordMatches(positions: texts.indices.filter { texts[$0].contains(folded) }, count: texts.count)
        keywordHits.store(found, for: folded)
        return found
    }
}

/// The items that contain one keyword: their positions, ascending, and the same as a bit set for quick tests.
struct KeywordMatches: Sendable {
    /// The positions, ascending.
    let positions: [Int]
    private let bits: [UInt64]

    init(positions: [Int], count: Int) {
        self.positions = positions
        var bits = [UInt64](repeating: 0, count: (count + 63) / 64)
        for position in positions { bits[position >> 6] |= 1 << UInt64(position & 63) }
        self.bits = bits
    }

    /// Whether the item at `position` contains the keyword.
    func contains(_ position: Int) -> Bool {
        bits[position >> 6] & (1 << UInt64(position & 63)) != 0
    }
}

/// The items found per keyword during a run, shared by every task that filters with the same index.
private final class KeywordHits: @unchecked Sendable {
    // Guarded by `lock`; NSLock keeps this usable on macOS 13/14, where `Mutex` is not available.
    private var hits: [String: KeywordMatches] = [:]
    private let lock = NSLock()

    func lookup(_ keyword: String) -> KeywordMatches? {
        lock.lock()
        defer { lock.unlock() }
        return hits[keyword]
    }

    func store(_ matches: KeywordMatches, for keyword: String) {
        lock.lock()
        defer { lock.unlock() }
        hits[keyword] = matches
    }
}

/// The fields of an item that the interest rules look at.
struct ItemFacts: Sendable {
    let kind: ItemKind
    let topics: [String]
    let regions: [String]
    let online: Bool

    init(_ item: Item) {
        kind = item.kind
        topics = item.topics
        regions = item.regions
        online = item.online
    }
}
