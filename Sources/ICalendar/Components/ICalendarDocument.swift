import Foundation

/// A parsed calendar: its name, its events as read, and what was skipped.
public struct ICalendarDocument: Sendable {
    /// X-WR-CALNAME, or NAME (RFC 7986) when there is no X-WR-CALNAME.
    public var name: String?
    /// X-WR-TIMEZONE, as written.
    public var timeZoneName: String?
    /// Every VEVENT that could be read, masters and overrides, in file order.
    public var events: [Event]
    /// Components and properties that were skipped or guessed at, each with its line.
    public var problems: [ICalendarProblem]
    /// The zone for floating times and DATE values.
    public var defaultTimeZone: TimeZone
    /// The bounds used when expanding recurrences.
    public var limits: ICalendarLimits
    /// The default zone as zone rules.
    var defaultZone: ZoneRules

    /// Creates a document.
    init(
        name: String?, timeZoneName: String?, events: [Event], problems: [ICalendarProblem], defaultTimeZone: TimeZone,
        limits: ICalendarLimits
    ) {
        self.name = name
        self.timeZoneName = timeZoneName
        self.events = events
        self.problems = problems
        self.defaultTimeZone = defaultTimeZone
        self.limits = limits
        self.defaultZone = .foundation(defaultTimeZone)
    }

    /// Every occurrence that overlaps `[start, end)`, sorted by start.
    ///
    /// Overrides replace the instance their RECURRENCE-ID names (an override whose master is missing stands alone),
    /// cancelled instances and events are dropped, EXDATEs are removed. Expansion is lazy and stops at the window and
    /// at `limits.maxOccurrencesPerEvent`; use `expand(from:to:)` to also get what the limits cut.
    public func occurrences(from start: Date, to end: Date) -> [Occurrence] {
        expand(from: start, to: end).occurrences
    }

    /// The occurrences of `occurrences(from:to:)` and the problems met while expanding (limits reached).
    public func expand(from start: Date, to end: Date) -> (occurrences: [Occurrence], problems: [ICalendarProblem]) {
        var expander = OccurrenceExpander(document: self, windowStart: start, windowEnd: end)
        return expander.run()
    }
}
