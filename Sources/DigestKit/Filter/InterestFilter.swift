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
/// `select(from:for:)` applies the rules to the items an `ItemIndex` says can match, which is what a run with many
/// subscribers uses; `select(_:for:)` applies them to every item and gives the same selection.
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
                organizer: item.organizer.map(Suggestion.fold),
                mentions: { text.contains(rules.keywords[$0].folded) },
                mentionsExcluded: { text.contains(rules.excludedKeywords[$0]) }
            )
            return reasons.map { Selection(item: item, reasons: $0) }
        }
    }

    /// The selection for `subscriber` out of the indexed items, in the items' order: the same as
    /// `select(index.items, for: subscriber)`, but looking only at the items that follow from the subscriber's topics,
    /// organisers, keywords, kinds or regions.
    public func select(from index: ItemIndex, for subscriber: Subscriber) -> [Selection] {
        let rules = Rules(subscriber)
        let followed = rules.keywords.map { index.matches(of: $0.folded) }
        let excluded = rules.excludedKeywords.map { index.matches(of: $0) }
        var selection: [Selection] = []
        for position in rules.candidates(in: index, keywordMatches: followed) {
            let reasons = rules.reasons(
                for: index.facts[position],
                organizer: index.organizers[position],
                mentions: { followed[$0].contains(position) },
                mentionsExcluded: { excluded[$0].contains(position) }
            )
            if let reasons { selection.append(Selection(box: index.boxes[position], reasons: reasons)) }
        }
        return selection
    }

    /// A subscriber's interests folded once for fast, case- and diacritic-insensitive comparison.
    struct Rules {
        let topics: Set<String>
        let organizers: [String: String]
        let keywords: [(folded: String, written: String)]
        let kinds: Set<ItemKind>
        let regions: Set<String>
        let everyRegion: Bool
        let excludedTopics: Set<String>
        let excludedOrganizers: Set<String>
        let excludedKeywords: [String]

        init(_ subscriber: Subscriber) {
            topics = Set(subscriber.interests.topics)
            organizers = Dictionary(
                subscriber.interests.organizers.map { (Suggestion.fold($0), $0) },
                uniquingKeysWith: { first, _ in first }
            )
            keywords = subscriber.interests.keywords.map { (Suggestion.fold($0), $0) }
            kinds = Set(subscriber.interests.kinds)
            regions = Set(subscriber.interests.regions)
            everyRegion = regions.contains(Regions.wholeRegion)
            excludedTopics = Set(subscriber.exclude.topics)
            excludedOrganizers = Set(subscriber.exclude.organizers.map(Suggestion.fold))
            excludedKeywords = subscriber.exclude.keywords.map(Suggestion.fold)
        }

        /// Whether the rules look at an item's text (for keywords to follow or to exclude).
        var needsText: Bool { !(excludedKeywords.isEmpty && keywords.isEmpty) }

        /// The positions in `index` of every item these rules can select, ascending (a superset of the selection).
        func candidates(in index: ItemIndex, keywordMatches: [KeywordMatches]) -> [Int] {
            var found: [Int] = []
            if !(topics.isEmpty && organizers.isEmpty && keywords.isEmpty) {
                // Rule 4: an item without a matching topic, organiser or keyword is never selected.
                for topic in topics { found += index.byTopic[topic] ?? [] }
                for organizer in organizers.keys { found += index.byOrganizer[organizer] ?? [] }
                for matches in keywordMatches { found += matches.positions }
            } else if !kinds.isEmpty {
                // Rule 2.
                for kind in kinds { found += index.byKind[kind] ?? [] }
            } else if !regions.isEmpty && !everyRegion {
                // Rule 3: online items and items without a region pass every region test.
                found = index.everywhere
                for region in regions { found += index.byRegion[region] ?? [] }
            } else {
                return Array(index.boxes.indices)
            }
            found.sort()
            var unique: [Int] = []
            unique.reserveCapacity(found.count)
            for position in found where position != unique.last { unique.append(position) }
            return unique
        }

        /// The reasons an item with `item`'s facts is selected, or nil. `organizer` is its folded organiser; `mentions(k)` says whether
        /// its folded title and summary contain `keywords[k]`, `mentionsExcluded(k)` whether they contain
        /// `excludedKeywords[k]`.
        func reasons(
            for item: ItemFacts,
            organizer: String?,
            mentions: (Int) -> Bool,
            mentionsExcluded: (Int) -> Bool
        ) -> [MatchReason]? {
            if !kinds.isEmpty && !kinds.contains(item.kind) { return nil }
            if !excludedTopics.isEmpty && item.topics.contains(where: excludedTopics.contains) { return nil }
            if !excludedOrganizers.isEmpty, let organizer, excludedOrganizers.contains(organizer) { return nil }
            if excludedKeywords.indices.contains(where: mentionsExcluded) { return nil }

            // One array per selected item: the reasons in their documented order (topics, organisers, keywords,
            // then regions), or `everything` and the regions.
            var reasons: [MatchReason] = []
            if topics.isEmpty && organizers.isEmpty && keywords.isEmpty {
                reasons.append(.everything)
            } else {
                if !topics.isEmpty {
                    for topic in item.topics where topics.contains(topic) { reasons.append(.topic(topic)) }
                }
                if !organizers.isEmpty, let organizer, let followed = organizers[organizer] {
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
