import Foundation

/// What an item is: an event or a funding call.
public enum ItemKind: String, Sendable, Codable, CaseIterable {
    /// A dated activity: a seminar, a bootcamp, an advice session.
    case event
    /// A call for funding applications, usually with a deadline.
    case funding
}

/// One normalised thing a digest can list: an occurrence of an event, or a funding call.
///
/// Items are what every source turns into, whatever its format; filtering, rendering and the state store see
/// nothing else.
public struct Item: Sendable, Hashable {
    /// Stable across runs: the same occurrence or call gets the same id every week.
    public var id: String
    /// Event or funding call.
    public var kind: ItemKind
    /// The name of the source it came from (the first one, when several announced it).
    public var source: String
    /// Every source that announced it, after deduplication.
    public var sources: [String]
    /// The iCalendar UID or feed guid, as the source gave it.
    public var uid: String?
    /// Plain-text title.
    public var title: String
    /// Plain-text summary.
    public var summary: String
    /// Sanitised HTML summary, when the source gave HTML.
    public var summaryHTML: String?
    /// The item's page.
    public var url: URL?
    /// When the event starts (nil for funding calls).
    public var start: Date?
    /// When the event ends (exclusive for all-day events).
    public var end: Date?
    /// Whether the event lasts whole days.
    public var allDay: Bool
    /// Where it takes place, as written by the source.
    public var location: String?
    /// Whether it takes place online, so it concerns every region.
    public var online: Bool
    /// The organiser of an event or the funder of a call.
    public var organizer: String?
    /// The last moment to apply (funding calls).
    public var deadline: Date?
    /// When the call opens, if announced.
    public var opens: Date?
    /// Budget text as the source wrote it ("upp till 2 mkr").
    public var budget: String?
    /// Canonical topic ids.
    public var topics: [String]
    /// Canonical region (municipality) names.
    public var regions: [String]
    /// The categories as the source wrote them.
    public var categories: [String]
    /// The iCalendar SEQUENCE, for change detection.
    public var sequence: Int
    /// When it was published, if the source said.
    public var published: Date?
    /// Whether the event was cancelled (listed only to readers who were sent it before).
    public var cancelled: Bool

    /// An item with the required fields; everything else empty.
    public init(id: String, kind: ItemKind, source: String, title: String) {
        self.id = id
        self.kind = kind
        self.source = source
        self.sources = [source]
        self.title = title
        self.summary = ""
        self.allDay = false
        self.online = false
        self.topics = []
        self.regions = []
        self.categories = []
        self.sequence = 0
        self.cancelled = false
    }

    /// The fields whose change matters to a reader (time, place, status), joined, to notice a moved event.
    ///
    /// Read for every item of every subscriber's digest, so it is a plain concatenation, not a hash.
    public var fingerprint: String {
        func seconds(_ date: Date?) -> String { date.map { String(Int($0.timeIntervalSince1970)) } ?? "" }
        return
            "\(seconds(start))|\(seconds(end))|\(seconds(deadline))|\(cancelled ? "cancelled" : "")|\(location ?? "")"
    }
}
