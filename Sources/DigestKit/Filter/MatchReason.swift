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
        set { box = ItemBox(newValue) }
    }
    /// Why it matched, in a stable order: topics, organisers, keywords, then regions.
    public var reasons: [MatchReason]
    // The item is shared, not copied, by every subscriber's selection of it: a run selects millions of times.
    private var box: ItemBox

    /// `item`, chosen for `reasons`.
    public init(item: Item, reasons: [MatchReason]) {
        self.box = ItemBox(item)
        self.reasons = reasons
    }

    /// The item in `box`, chosen for `reasons`, sharing the box.
    init(box: ItemBox, reasons: [MatchReason]) {
        self.box = box
        self.reasons = reasons
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

/// One item, shared by reference so that selections do not copy it.
final class ItemBox: Sendable {
    let item: Item

    init(_ item: Item) {
        self.item = item
    }
}
