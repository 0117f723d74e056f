import Deadlines
import DigestSupport
import Foundation

/// Gives items their canonical topics, regions and online flag from what the source said, and events the
/// registration deadline their text names.
struct ItemClassifier: Sendable {
    let taxonomy: Taxonomy
    /// Reads "Anmäl dig senast 4 december" and the like in event text.
    let registration: DeadlineFinder
    /// What each location named (municipalities, online), worked out once: a series' occurrences, and a source's
    /// events at one place, share their location.
    private var places: [UTF8Key: (regions: [String], online: Bool)] = [:]
    /// The topic ids of each list of categories (with the source's), worked out once. (Both caches are keyed by
    /// bytes: String's hashing normalised each Swedish category and place first.)
    private var topicLists: [[UTF8Key]: [String]] = [:]

    init(taxonomy: Taxonomy, timeZone: TimeZone) {
        self.taxonomy = taxonomy
        self.registration = .registration(timeZone: timeZone)
    }

    /// Stems (lower-case ASCII) without which no registration phrase can be in a text: a cheap test, on the bytes,
    /// before the finder ("anm" for "anmäl", "anmälan").
    private static let registrationStems = Stems(["anm", "osa", "regist", "sign", "rsvp"])

    /// Stems of lower-case ASCII letters, made ready once for ``mentions(_:anyOf:)``.
    struct Stems: Sendable {
        let list: [[UInt8]]
        let shortest: Int
        /// Bit `n` is set when a stem starts with the letter "a" + `n`.
        let initials: UInt32
        /// With every stem two letters or longer: bit `26 × i + j` is set when a stem starts with the letters
        /// "a" + `i`, "a" + `j` (most text has few places where one of a handful of stems' first two letters meet).
        let pairs: [UInt64]?

        init(_ stems: [String]) {
            list = stems.map { Array($0.utf8) }.filter { !$0.isEmpty }
            shortest = list.map(\.count).min() ?? 0
            initials = list.reduce(0) { mask, stem in
                stem[0] >= 0x61 && stem[0] <= 0x7A ? mask | 1 << UInt32(stem[0] - 0x61) : mask
            }
            let letters: ClosedRange<UInt8> = 0x61...0x7A
            if shortest >= 2, list.allSatisfy({ letters.contains($0[0]) && letters.contains($0[1]) }) {
                var pairs = [UInt64](repeating: 0, count: (26 * 26 + 63) / 64)
                for stem in list {
                    let bit = Int(stem[0] - 0x61) * 26 + Int(stem[1] - 0x61)
                    pairs[bit >> 6] |= 1 << UInt64(bit & 63)
                }
                self.pairs = pairs
            } else {
                pairs = nil
            }
        }

        /// Whether a stem may start with the bytes `first`, `second` (lower-cased with `| 0x20`).
        @inline(__always) func mayStart(_ first: UInt8, _ second: UInt8) -> Bool {
            guard first >= 0x61, first <= 0x7A else { return false }
            guard let pairs else { return initials & 1 << UInt32(first - 0x61) != 0 }
            guard second >= 0x61, second <= 0x7A else { return false }
            let bit = Int(first - 0x61) * 26 + Int(second - 0x61)
            return pairs[bit >> 6] & 1 << UInt64(bit & 63) != 0
        }
    }

    /// Whether `text` holds one of `stems`, ASCII letters in either case.
    static func mentions(_ text: String, anyOf stems: Stems) -> Bool {
        guard !stems.list.isEmpty else { return false }
        var text = text
        return text.withUTF8 { bytes in
            guard bytes.count >= stems.shortest else { return false }
            for start in 0...(bytes.count - stems.shortest) {
                let first = bytes[start] | 0x20
                let second = start + 1 < bytes.count ? bytes[start + 1] | 0x20 : 0
                guard stems.mayStart(first, second) else { continue }
                for stem in stems.list where stem[0] == first && start + stem.count <= bytes.count {
                    var index = 1
                    while index < stem.count, bytes[start + index] | 0x20 == stem[index] { index += 1 }
                    if index == stem.count { return true }
                }
            }
            return false
        }
    }

    /// Fills `topics`, `regions` and `online` on `item` from its categories, location and the source's defaults (one
    /// classifier per source: what it works out is kept by categories and location).
    mutating func classify(_ item: inout Item, source: SourceConfig) {
        let categories = item.categories.map(UTF8Key.init)
        if let known = topicLists[categories] {
            item.topics = known
        } else {
            var topics: [String] = []
            for word in source.topics + item.categories {
                let id = taxonomy.topics.isEmpty ? word : taxonomy.topicID(for: word)
                if let id, !topics.contains(id) { topics.append(id) }
            }
            topicLists[categories] = topics
            item.topics = topics
        }
        var regions: [String] = []
        for word in source.regions + item.regions {
            if let region = Regions.canonical(word), !regions.contains(region) { regions.append(region) }
        }
        if let location = item.location {
            let place: (regions: [String], online: Bool)
            if let known = places[UTF8Key(location)] {
                place = known
            } else {
                place = (Regions.mentioned(in: location), Regions.isOnline(location))
                places[UTF8Key(location)] = place
            }
            for region in place.regions where !regions.contains(region) { regions.append(region) }
            if place.online { item.online = true }
        }
        if regions.contains(Regions.wholeRegion) { regions = [] }
        item.regions = regions
        if item.organizer == nil { item.organizer = source.organizer }
        if item.kind == .event, item.registrationDeadline == nil {
            // No stem spans the line break between title and summary: each is tested alone, and joined only then.
            if Self.mentions(item.title, anyOf: Self.registrationStems)
                || Self.mentions(item.summary, anyOf: Self.registrationStems)
            {
                let text = item.title + "\n" + item.summary
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
