import DigestSupport
import Foundation

/// Chooses the items a subscriber gets and says why.
///
/// The rules, which `subscribers/README.md` documents for subscribers:
/// 1. **Exclusions always win.** An item with an excluded topic or organiser, or whose title or summary contains an
///    excluded keyword, is never included.
/// 2. **Kinds** narrow: with `kinds` set, only those kinds are included.
/// 3. **Regions** narrow: with `regions` set, an item must take place in one of them, or online, or have no region
///    at all (most funding calls concern the whole county or country). `Dalarna` means every municipality.
/// 4. **Topics, organisers and keywords** widen each other: with any of them set, an item must match at least one
///    (a topic it has, the organiser or funder behind it, or a keyword in its title or summary). With none of them
///    set, the subscriber follows everything that passes 1–3.
///
/// `select(from:for:)` applies the rules as set operations over an `ItemIndex` built once per run, which is what a
/// run with many subscribers uses; `select(_:for:)` tests every item against them and gives the same selection.
public struct InterestFilter: Sendable {
    /// Creates a filter.
    public init() {}

    /// The selection for `subscriber` out of `items`, in the items' order, looking at every item.
    ///
    /// Fine for one subscriber; for many, index the items once with `ItemIndex` and use `select(from:for:)`.
    public func select(_ items: [Item], for subscriber: Subscriber) -> [Selection] {
        let rules = Rules(subscriber)
        return items.compactMap { item in
            let text = rules.needsText ? Suggestion.fold(item.title + " " + item.summary) : ""
            let reasons = rules.reasons(
                for: ItemFacts(item),
                organizers: ItemBox.organizers(of: item),
                mentions: { text.contains(rules.keywords[$0].folded) },
                mentionsExcluded: { text.contains(rules.excludedKeywords[$0]) }
            )
            return reasons.map { Selection(item: item, reasons: $0) }
        }
    }

    /// The selection for `subscriber` out of the indexed items, in the items' order: the same as
    /// `select(index.items, for: subscriber)`, worked out with set operations on the index instead of a test of each
    /// item. Each `Selection` is made when it is read, and its reasons when they are read.
    public func select(from index: ItemIndex, for subscriber: Subscriber) -> SelectionList {
        let rules = Rules(subscriber, fold: index.fold)
        return SelectionList(index: index, chosen: rules.selected(in: index), rules: rules)
    }

    /// A subscriber's interests folded once for fast, case- and diacritic-insensitive comparison; shared by the
    /// subscriber's selections, which read their reasons from it.
    final class Rules: Sendable {
        let topics: Set<String>
        let organizers: [String: String]
        let keywords: [(folded: String, written: String)]
        let kinds: Set<ItemKind>
        let regions: Set<String>
        let everyRegion: Bool
        let excludedTopics: Set<String>
        let excludedOrganizers: Set<String>
        let excludedKeywords: [String]

        /// The rules of `subscriber`, with words folded by `fold` (`Suggestion.fold` or a cache of it).
        init(_ subscriber: Subscriber, fold: (String) -> String = Suggestion.fold) {
            topics = Set(subscriber.interests.topics)
            organizers = Dictionary(
                subscriber.interests.organizers.map { (fold($0), $0) },
                uniquingKeysWith: { first, _ in first }
            )
            keywords = subscriber.interests.keywords.map { (fold($0), $0) }
            kinds = Set(subscriber.interests.kinds)
            regions = Set(subscriber.interests.regions)
            everyRegion = regions.contains(Regions.wholeRegion)
            excludedTopics = Set(subscriber.exclude.topics)
            excludedOrganizers = Set(subscriber.exclude.organizers.map(fold))
            excludedKeywords = subscriber.exclude.keywords.map(fold)
        }

        /// Whether the rules look at an item's text (for keywords to follow or to exclude).
        var needsText: Bool { !(excludedKeywords.isEmpty && keywords.isEmpty) }

        /// The items of `index` these rules select: rules 1–4 as set operations.
        func selected(in index: ItemIndex) -> ItemSet {
            var chosen: ItemSet
            if topics.isEmpty && organizers.isEmpty && keywords.isEmpty {
                chosen = index.all
            } else {
                // Rule 4: a topic, an organiser or a keyword must match.
                chosen = ItemSet(count: index.count)
                for topic in topics { index.byTopic[topic].map { chosen.formUnion($0) } }
                for organizer in organizers.keys { index.byOrganizer[organizer].map { chosen.formUnion($0) } }
                for keyword in keywords { chosen.formUnion(index.matches(of: keyword.folded)) }
            }
            if !kinds.isEmpty {
                // Rule 2.
                var ofKinds = ItemSet(count: index.count)
                for kind in kinds { index.byKind[kind].map { ofKinds.formUnion($0) } }
                chosen.formIntersection(ofKinds)
            }
            // Rule 1.
            for topic in excludedTopics { index.byTopic[topic].map { chosen.subtract($0) } }
            for organizer in excludedOrganizers { index.byOrganizer[organizer].map { chosen.subtract($0) } }
            for keyword in excludedKeywords { chosen.subtract(index.matches(of: keyword)) }
            if !regions.isEmpty && !everyRegion {
                // Rule 3: online items and items without a region pass every region test.
                var inRegions = index.everywhere
                for region in regions { index.byRegion[region].map { inRegions.formUnion($0) } }
                chosen.formIntersection(inRegions)
            }
            return chosen
        }

        /// The reasons the item in `box` is selected (empty if it is not).
        func reasons(for box: ItemBox) -> [MatchReason] {
            let reasons = reasons(
                for: box.facts,
                organizers: box.organizers,
                mentions: { box.text.contains(keywords[$0].folded) },
                mentionsExcluded: { box.text.contains(excludedKeywords[$0]) }
            )
            return reasons ?? []
        }

        /// The reasons an item with `item`'s facts is selected, or nil: rules 1–4 tested on one item. `organizers` are
        /// its folded organiser and those that also announced it; `mentions(k)` says whether its folded title and summary contain `keywords[k]`,
        /// `mentionsExcluded(k)` whether they contain `excludedKeywords[k]`.
        func reasons(
            for item: ItemFacts,
            organizers itemOrganizers: [String],
            mentions: (Int) -> Bool,
            mentionsExcluded: (Int) -> Bool
        ) -> [MatchReason]? {
            if !kinds.isEmpty && !kinds.contains(item.kind) { return nil }
            if !excludedTopics.isEmpty && item.topics.contains(where: excludedTopics.contains) { return nil }
            if !excludedOrganizers.isEmpty, itemOrganizers.contains(where: excludedOrganizers.contains) { return nil }
            if excludedKeywords.indices.contains(where: mentionsExcluded) { return nil }

            // The reasons in their documented order (topics, organisers, keywords,
            // then regions), or `everything` and the regions.
            var reasons: [MatchReason] = []
            if topics.isEmpty && organizers.isEmpty && keywords.isEmpty {
                reasons.append(.everything)
            } else {
                if !topics.isEmpty {
                    for topic in item.topics where topics.contains(topic) { reasons.append(.topic(topic)) }
                }
                if !organizers.isEmpty, let followed = itemOrganizers.lazy.compactMap({ self.organizers[$0] }).first {
                    reasons.append(.organizer(followed))
                }
                for (position, keyword) in keywords.enumerated() where mentions(position) {
                    reasons.append(.keyword(keyword.written))
                }
                if reasons.isEmpty { return nil }
            }
            if !regions.isEmpty {
                if item.online {
                    reasons.append(.online)
                } else if item.regions.isEmpty {
                    // Tied to no municipality: passes, with no region reason.
                } else if everyRegion {
                    reasons.append(.region(Regions.wholeRegion))
                } else {
                    let before = reasons.count
                    for region in item.regions where regions.contains(region) { reasons.append(.region(region)) }
                    if reasons.count == before { return nil }
                }
            }
            return reasons
        }
    }
}
