import Deadlines
import Foundation

/// Gives items their canonical topics, regions and online flag from what the source said, and events the
/// registration deadline their text names.
struct ItemClassifier: Sendable {
    let taxonomy: Taxonomy
    /// Reads "Anmäl dig senast 4 december" and the like in event text.
    let registration: DeadlineFinder

    init(taxonomy: Taxonomy, timeZone: TimeZone) {
        self.taxonomy = taxonomy
        self.registration = .registration(timeZone: timeZone)
    }

    /// Words without which no registration phrase can be in a text (lower-case): a cheap test before the finder.
    private static let registrationHints = ["anmäl", "osa ", "regist", "sign up", "rsvp"]

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
        if item.kind == .event, item.registrationDeadline == nil {
            let text = item.title + "\n" + item.summary
            let lowered = text.lowercased()
            if Self.registrationHints.contains(where: lowered.contains) {
                let found = registration.find(
                    in: text, referenceDate: item.start.map { $0.addingTimeInterval(-300 * 86_400) }, readBudgets: false
                )
                // A registration deadline after the event starts is a misreading.
                if let deadline = found.deadline, deadline <= (item.start ?? .distantFuture).addingTimeInterval(86_400)
                {
                    item.registrationDeadline = deadline
                    item.registrationHasTime = found.deadlineHasTime
                }
            }
        }
    }
}
