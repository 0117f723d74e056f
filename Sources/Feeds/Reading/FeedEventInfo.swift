import Foundation

/// The RSS 1.0 event module (`http://purl.org/rss/1.0/modules/event/`) fields of an item.
public struct FeedEventInfo: Sendable, Equatable {
    /// `ev:startdate` as parsed (a date-only value is midnight in the parser's time zone).
    public var start: Date?
    /// `ev:enddate` as parsed (a date-only value is midnight in the parser's time zone).
    public var end: Date?
    /// `ev:startdate` exactly as written, so a date-only value can be told from a midnight time.
    public var startText: String?
    /// `ev:enddate` exactly as written.
    public var endText: String?
    /// `ev:location`.
    public var location: String?
    /// `ev:organizer`.
    public var organizer: String?
    /// `ev:type`.
    public var type: String?

    /// Creates event information; every field is optional.
    public init(
        start: Date? = nil, end: Date? = nil, startText: String? = nil, endText: String? = nil,
        location: String? = nil, organizer: String? = nil, type: String? = nil
    ) {
        self.start = start
        self.end = end
        self.startText = startText
        self.endText = endText
        self.location = location
        self.organizer = organizer
        self.type = type
    }
}
