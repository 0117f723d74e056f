import Foundation

/// A VEVENT (RFC 5545 section 3.6.1) as read: a recurring master, an override of one instance (it has a
/// `recurrenceID`), or a single event.
public struct Event: Sendable {
    /// UID; events of one series (master and overrides) share it.
    public var uid: String?
    /// SUMMARY, unescaped.
    public var summary: String?
    /// DESCRIPTION, unescaped (newlines restored).
    public var description: String?
    /// LOCATION, unescaped.
    public var location: String?
    /// URL as written.
    public var url: String?
    /// ORGANIZER with its CN.
    public var organizer: Organizer?
    /// Every CATEGORIES value of every CATEGORIES line, split on unescaped commas, unescaped and trimmed.
    public var categories: [String] = []
    /// STATUS, if it is one of the VEVENT statuses.
    public var status: EventStatus?
    /// SEQUENCE, 0 when absent.
    public var sequence: Int = 0
    /// LAST-MODIFIED.
    public var lastModified: Date?
    /// DTSTAMP.
    public var stamp: Date?
    /// DTSTART.
    public var start: DateValue
    /// DTEND, if present and valid.
    public var end: DateValue?
    /// DURATION, if present and valid (ignored when DTEND is present).
    public var duration: ICalDuration?
    /// Every RRULE, in file order: the recurrence set is the union of their instances (RFC 5545 section 3.8.5.3).
    public var rrules: [RecurrenceRule] = []
    /// RDATE values (DATE, DATE-TIME or PERIOD).
    public var rdates: [RecurrenceDate] = []
    /// EXDATE values.
    public var exdates: [DateValue] = []
    /// RECURRENCE-ID: set on an override, naming the instance it replaces.
    public var recurrenceID: DateValue?
    /// Whether the RECURRENCE-ID has `RANGE=THISANDFUTURE`: the override also changes every later instance of its
    /// series (RFC 5545 section 3.2.13).
    public var thisAndFuture = false
    /// The line of `BEGIN:VEVENT`.
    public var line: Int

    /// Creates an event with only a start.
    public init(start: DateValue, line: Int) {
        self.start = start
        self.line = line
    }

    /// Whether the event is an all-day (DATE) event.
    public var isAllDay: Bool { start.isDate }
}

/// STATUS of a VEVENT (RFC 5545 section 3.8.1.11).
public enum EventStatus: String, Sendable, Hashable {
    /// `TENTATIVE`
    case tentative = "TENTATIVE"
    /// `CONFIRMED`
    case confirmed = "CONFIRMED"
    /// `CANCELLED`
    case cancelled = "CANCELLED"
}

/// ORGANIZER (RFC 5545 section 3.8.4.3): the CN parameter and the `mailto:` address.
public struct Organizer: Sendable, Hashable {
    /// The CN parameter, if given.
    public var name: String?
    /// The address without `mailto:`, if the value is a mailto URI.
    public var email: String?

    /// Creates an organizer.
    public init(name: String?, email: String?) {
        self.name = name
        self.email = email
    }
}

/// One RDATE value: a date or date-time, or a PERIOD with its own end.
public struct RecurrenceDate: Sendable, Equatable {
    /// The start of the extra instance.
    public var start: DateValue
    /// The end, when the RDATE is a PERIOD (`start/end` or `start/duration`).
    public var end: Date?

    /// Creates an RDATE value.
    public init(start: DateValue, end: Date? = nil) {
        self.start = start
        self.end = end
    }
}
