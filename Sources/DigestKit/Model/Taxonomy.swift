import DigestSupport
import Foundation

/// The shared vocabulary of the digest: the topics subscribers can follow, with labels in each language and the
/// synonyms that map a source's categories to them; the known organisers; and Dalarna's municipalities.
public struct Taxonomy: Sendable {
    /// One canonical topic.
    public struct Topic: Sendable, Hashable {
        /// The id subscribers write, such as `finansiering`.
        public var id: String
        /// The label shown to readers, by language.
        public var labels: [Language: String]
        /// Words in sources' categories that mean this topic.
        public var synonyms: [String]

        /// The label in `language`, falling back to Swedish and then the id.
        public func label(_ language: Language) -> String {
            labels[language] ?? labels[.sv] ?? id
        }
    }

    /// Every topic, in file order.
    public var topics: [Topic]
    /// Organisers and funders that subscribers can follow.
    public var organizers: [String]
    private var topicByWord: [String: String]

    /// A taxonomy of the given topics and organisers.
    public init(topics: [Topic], organizers: [String]) {
        self.topics = topics
        self.organizers = organizers
        var index: [String: String] = [:]
        for topic in topics {
            for word in [topic.id] + Array(topic.labels.values) + topic.synonyms {
                let key = Suggestion.fold(word)
                if index[key] == nil { index[key] = topic.id }
            }
        }
        topicByWord = index
    }

    /// An empty taxonomy: topics are then taken as written.
    public static let empty = Taxonomy(topics: [], organizers: [])

    /// The topic a source category or subscriber word stands for, if any.
    public func topicID(for word: String) -> String? {
        topicByWord[Suggestion.fold(word.trimmingCharacters(in: .whitespaces))]
    }

    /// The topic with id `id`.
    public func topic(id: String) -> Topic? {
        topics.first { $0.id == id }
    }

    /// The label of topic `id` in `language`, or the id itself for an unknown topic.
    public func label(ofTopic id: String, in language: Language) -> String {
        topic(id: id)?.label(language) ?? id
    }

    /// The organiser as the taxonomy spells it, matched without regard to case or diacritics.
    public func canonicalOrganizer(_ name: String) -> String? {
        let folded = Suggestion.fold(name)
        return organizers.first { Suggestion.fold($0) == folded }
    }
}

/// Dalarna's fifteen municipalities; "Dalarna" means all of them.
public enum Regions {
    /// The municipalities, in alphabetical order as Swedish sorts them.
    public static let municipalities = [
        "Avesta", "Borlänge", "Falun", "Gagnef", "Hedemora", "Leksand", "Ludvika", "Malung-Sälen", "Mora", "Orsa",
        "Rättvik", "Smedjebacken", "Säter", "Vansbro", "Älvdalen",
    ]

    /// The word that means every municipality.
    public static let wholeRegion = "Dalarna"

    /// The municipality `name` refers to (case- and diacritic-insensitive), or nil.
    public static func canonical(_ name: String) -> String? {
        let folded = Suggestion.fold(name)
        if folded == Suggestion.fold(wholeRegion) { return wholeRegion }
        return municipalities.first { Suggestion.fold($0) == folded }
    }

    /// The municipalities named in free text such as an event's location ("Science Park, Borlänge").
    public static func mentioned(in text: String) -> [String] {
        let words = Set(
            Suggestion.fold(text).components(separatedBy: CharacterSet.alphanumerics.union(["-"]).inverted)
        )
        return municipalities.filter { words.contains(Suggestion.fold($0)) }
    }

    /// Whether free text says the event is online.
    public static func isOnline(_ text: String) -> Bool {
        let folded = Suggestion.fold(text)
        return ["digitalt", "online", "webinar", "webbinarium", "teams", "zoom", "distans"].contains {
            folded.contains($0)
        }
    }
}
