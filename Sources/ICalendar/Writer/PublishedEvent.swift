import Foundation

/// An event to publish with `ICalendarWriter`.
public struct PublishedEvent: Sendable {
    /// UID, stable across publications of the same event.
    public var uid: String
    /// SEQUENCE, raised when the event changes.
    public var sequence: Int
    /// The start instant (for an all-day event, any instant on the first day in the writer's zone).
    public var start: Date
    /// The end instant (for an all-day event, the exclusive end: midnight after the last day).
    public var end: Date
    /// Whether to write DATE values.
    public var isAllDay: Bool
    /// SUMMARY.
    public var summary: String
    /// DESCRIPTION.
    public var description: String?
    /// LOCATION.
    public var location: String?
    /// URL.
    public var url: String?
    /// ORGANIZER's CN.
    public var organizerName: String?
    /// ORGANIZER's address; ORGANIZER is written only when this is set.
    public var organizerEmail: String?
    /// STATUS.
    public var status: EventStatus?
    /// DTSTAMP: when this publication was made.
    public var stamp: Date
    /// A display alarm this many whole days before the start (RFC 5545 §3.6.6, `TRIGGER:-P<n>D`), if any.
    public var alarmDaysBefore: Int?
    /// The alarm's text (its DESCRIPTION; the summary when nil).
    public var alarmText: String?

    /// Creates an event to publish.
    public init(
        uid: String, sequence: Int = 0, start: Date, end: Date, isAllDay: Bool = false, summary: String,
        description: String? = nil, location: String? = nil, url: String? = nil, organizerName: String? = nil,
        organizerEmail: String? = nil, status: EventStatus? = nil, stamp: Date
    ) {
        self.uid = uid
        self.sequence = sequence
        self.start = start
        self.end = end
        self.isAllDay = isAllDay
        self.summary = summary
        self.description = description
        self.location = location
        self.url = url
        self.organizerName = organizerName
        self.organizerEmail = organizerEmail
        self.status = status
        self.stamp = stamp
    }
}

/// A VEVENT written by ``ICalendarWriter/write(_:timeZone:)``, ready to be published in any number of calendars.
public struct WrittenEvent: Sendable, Hashable {
    /// The event's start, which the calendar's VTIMEZONE must cover.
    public let start: Date
    /// The event's end.
    public let end: Date
    /// Whether it is written with DATE values.
    public let isAllDay: Bool
    /// The folded lines, each ending in CRLF.
    public let text: String
}
