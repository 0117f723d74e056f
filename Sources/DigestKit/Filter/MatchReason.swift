import DigestSupport
import Foundation

/// Why an item was chosen for a subscriber; the digest shows these next to the item.
public enum MatchReason: Sendable, Hashable {
    /// The item has a topic the subscriber follows (topic id).
    case topic(String)
    /// The item is in a municipality the subscriber follows.
    case region(String)
    /// The item takes place online, so it concerns every region.
    case online
    /// The item comes from an organiser or funder the subscriber follows.
    case organizer(String)
    /// The item mentions a keyword the subscriber follows.
    case keyword(String)
    /// The subscriber follows everything (no topics, organisers or keywords set).
    case everything
}

/// An item chosen for a subscriber, with the reasons it was chosen.
public struct Selection: Sendable, Hashable {
    /// The item.
    public var item: Item {
        get { box.item }
        set {
            // The reasons stay those of the item that was chosen.
            if case .following = storedReasons { storedReasons = .given(reasons) }
            box = ItemBox(newValue)
        }
    }
    /// Why it matched, in a stable order: topics, organisers, keywords, then regions.
    public var reasons: [MatchReason] {
        get {
            switch storedReasons {
            case .given(let reasons): reasons
            case .following(let rules): rules.reasons(for: box)
            }
        }
        set { storedReasons = .given(newValue) }
    }
    // The item is shared, not copied, by every subscriber's selection of it, and the reasons are worked out from the
    // subscriber's rules when they are read: a run makes millions of selections and reads the reasons of a few.
    private var box: ItemBox
    private var storedReasons: StoredReasons

    private enum StoredReasons: Sendable {
        case given([MatchReason])
        case following(InterestFilter.Rules)
    }

    /// The shared box of the item: the same object in every selection of it from one ``ItemIndex``.
    var itemBox: ItemBox { box }

    /// `item`, chosen for `reasons`.
    public init(item: Item, reasons: [MatchReason]) {
        self.box = ItemBox(item)
        self.storedReasons = .given(reasons)
    }

    /// The item in `box`, chosen by `rules` (which select it), sharing both.
    init(box: ItemBox, rules: InterestFilter.Rules) {
        self.box = box
        self.storedReasons = .following(rules)
    }

    /// The same choice (the same reasons, or the same rules) of the item in `box` instead.
    func sharing(_ box: ItemBox) -> Selection {
        var copy = self
        copy.box = box
        return copy
    }

    /// Equal when the items and the reasons are.
    public static func == (lhs: Selection, rhs: Selection) -> Bool {
        lhs.reasons == rhs.reasons && (lhs.box === rhs.box || lhs.box.item == rhs.box.item)
    }

    /// Hashes the item and the reasons.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(box.item)
        hasher.combine(reasons)
    }
}

/// One item and what the interest rules look at in it, shared by reference so that selections do not copy it.
final class ItemBox: Sendable {
    /// `item`'s organiser and the organisers that also announced it, folded.
    static func organizers(of item: Item) -> [String] {
        (item.organizer.map { [$0] } ?? []).map(Suggestion.fold) + item.alsoFrom.map(Suggestion.fold)
    }

    let item: Item
    let facts: ItemFacts
    /// `Suggestion.fold(title + " " + summary)`.
    let text: String
    /// The folded organiser, then the folded organisers that also announced it.
    let organizers: [String]
    /// What the occurrences of one recurring event share (its source and UID), for events that have a UID.
    let seriesKey: String?

    init(_ item: Item) {
        self.item = item
        self.facts = ItemFacts(item)
        self.text = Suggestion.fold(item.title + " " + item.summary)
        self.organizers = Self.organizers(of: item)
        self.seriesKey = item.kind == .event && item.uid?.isEmpty == false ? item.source + "\u{1F}" + item.uid! : nil
    }
}
