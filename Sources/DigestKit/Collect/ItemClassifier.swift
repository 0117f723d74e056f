import Foundation

/// Gives items their canonical topics, regions and online flag from what the source said.
struct ItemClassifier: Sendable {
    let taxonomy: Taxonomy

    /// Fills `topics`, `regions` and `online` on `item` from its categories, location and the source's defaults.
    func classify(_ item: inout Item, source: SourceConfig) {
        var topics: [String] = []
        for word in source.topics + item.categories {
            let id = taxonomy.topics.isEmpty ? word : taxonomy.topicID(for: word)
            if let id, !topics.contains(id) { topics.append(id) }
        }
        item.topics = topics
        var regions: [String] = []
        for word in source.regions + item.regions {
            if let region = Regions.canonical(word), !regions.contains(region) { regions.append(region) }
        }
        if let location = item.location {
            for region in Regions.mentioned(in: location) where !regions.contains(region) { regions.append(region) }
            if Regions.isOnline(location) { item.online = true }
        }
        if regions.contains(Regions.wholeRegion) { regions = [] }
        item.regions = regions
        if item.organizer == nil { item.organizer = source.organizer }
    }
}
