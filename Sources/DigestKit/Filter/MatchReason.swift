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
    public var item: Item
    /// Why it matched, in a stable order: topics, organisers, keywords, then regions.
    public var reasons: [MatchReason]
}
