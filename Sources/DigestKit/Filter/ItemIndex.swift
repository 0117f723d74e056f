import DigestSupport
import Foundation
import Synchronization

/// The items of one run, indexed once so that choosing each subscriber's selection costs a few set operations instead
/// of a scan of every item.
///
/// It holds each item's folded (case- and diacritic-insensitive) text and organiser, computed once, and the set of
/// items with each topic, organiser, kind and region. Keywords are substrings of the text, so they cannot be looked up
/// in a word index; the items that contain a keyword are found by one scan over the folded texts the first time a
/// keyword is asked for, and remembered for the rest of the run (keywords repeat across subscribers).
/// `InterestFilter.select(from:for:)` uses it; the selection is the same as `InterestFilter.select(_:for:)` scanning
/// every item.
public struct ItemIndex: Sendable {
    /// The items, in the order selections keep.
    public var items: [Item] { boxes.map(\.item) }
    /// The items with what the rules look at, boxed once so that every selection of an item shares them.
    let boxes: [ItemBox]
    let byTopic: [String: ItemSet]
    let byOrganizer: [String: ItemSet]
    let byKind: [ItemKind: ItemSet]
    /// Items in a municipality (and not online), by municipality.
    let byRegion: [String: ItemSet]
    /// Items that pass every region test: online, or tied to no municipality.
    let everywhere: ItemSet
    /// Every item.
    let all: ItemSet
    private let keywordHits = LockedCache<ItemSet>()
    private let foldedWords = LockedCache<String>()

    /// Indexes `items`; the cost is one pass over them.
    public init(_ items: [Item]) {
        let count = items.count
        let boxes = items.map(ItemBox.init)
        var byTopic: [String: ItemSet] = [:]
        var byOrganizer: [String: ItemSet] = [:]
        var byKind: [ItemKind: ItemSet] = [:]
        var byRegion: [String: ItemSet] = [:]
        var everywhere = ItemSet(count: count)
        for (position, box) in boxes.enumerated() {
            for organizer in box.organizers { byOrganizer[organizer, default: ItemSet(count: count)].insert(position) }
            for topic in box.facts.topics { byTopic[topic, default: ItemSet(count: count)].insert(position) }
            byKind[box.facts.kind, default: ItemSet(count: count)].insert(position)
            if box.facts.online || box.facts.regions.isEmpty {
                everywhere.insert(position)
            } else {
                for region in box.facts.regions { byRegion[region, default: ItemSet(count: count)].insert(position) }
            }
        }
        self.boxes = boxes
        self.byTopic = byTopic
        self.byOrganizer = byOrganizer
        self.byKind = byKind
        self.byRegion = byRegion
        self.everywhere = everywhere
        self.all = ItemSet.all(count)
    }

    /// The number of items.
    var count: Int { boxes.count }

    /// `Suggestion.fold(word)`, remembered: subscribers name the same organisers and keywords again and again.
    func fold(_ word: String) -> String {
        if let known = foldedWords.lookup(word) { return known }
        let folded = Suggestion.fold(word)
        foldedWords.store(folded, for: word)
        return folded
    }

    /// The items whose folded text contains the folded keyword `folded`; found by one scan the first time a keyword
    /// is asked for, then remembered.
    func matches(of folded: String) -> ItemSet {
        if let known = keywordHits.lookup(folded) { return known }
        var found = ItemSet(count: count)
        for (position, box) in boxes.enumerated() where box.text.contains(folded) { found.insert(position) }
        keywordHits.store(found, for: folded)
        return found
    }
}

/// Values found during a run (keyword hits, folded words), shared by every task that filters with the same index.
private final class LockedCache<Value: Sendable>: Sendable {
    private let values = Mutex<[String: Value]>([:])

    func lookup(_ key: String) -> Value? {
        values.withLock { $0[key] }
    }

    func store(_ value: Value, for key: String) {
        values.withLock { $0[key] = value }
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
