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
public struct InterestFilter: Sendable {
    /// Creates a filter.
    public init() {}

    /// The selection for `subscriber` out of `items`, in the items' order.
    public func select(_ items: [Item], for subscriber: Subscriber) -> [Selection] {
        let rules = Rules(subscriber)
        return items.compactMap { item in
            rules.reasons(for: item).map { Selection(item: item, reasons: $0) }
        }
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

        func reasons(for item: Item) -> [MatchReason]? {
            if !kinds.isEmpty && !kinds.contains(item.kind) { return nil }
            if item.topics.contains(where: excludedTopics.contains) { return nil }
            // Folding is costly (Foundation), and most subscribers name no organiser: fold only when it is compared.
            let itemOrganizers =
                organizers.isEmpty && excludedOrganizers.isEmpty
                ? [] : ([item.organizer].compactMap { $0 }).map(Suggestion.fold)
            if itemOrganizers.contains(where: excludedOrganizers.contains) { return nil }
            let text =
                excludedKeywords.isEmpty && keywords.isEmpty ? "" : Suggestion.fold(item.title + " " + item.summary)
            if excludedKeywords.contains(where: { text.contains($0) }) { return nil }

            var regionReasons: [MatchReason] = []
            if !regions.isEmpty {
                if item.online {
                    regionReasons = [.online]
                } else if item.regions.isEmpty {
                    regionReasons = []
                } else if everyRegion {
                    regionReasons = [.region(Regions.wholeRegion)]
                } else {
                    regionReasons = item.regions.filter(regions.contains).map(MatchReason.region)
                    if regionReasons.isEmpty { return nil }
                }
            }

            if topics.isEmpty && organizers.isEmpty && keywords.isEmpty {
                return [.everything] + regionReasons
            }
            var reasons = item.topics.filter(topics.contains).map(MatchReason.topic)
            reasons += itemOrganizers.compactMap { organizers[$0] }.map(MatchReason.organizer)
            reasons += keywords.filter { text.contains($0.folded) }.map { MatchReason.keyword($0.written) }
            return reasons.isEmpty ? nil : reasons + regionReasons
        }
    }
}
