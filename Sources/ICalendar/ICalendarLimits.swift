/// Bounds that keep parsing and recurrence expansion finite on hostile or broken input.
public struct ICalendarLimits: Sendable, Hashable {
    /// Inputs larger than this many bytes are refused with `ICalendarError.tooLarge`.
    public var maxBytes: Int
    /// At most this many occurrences of one recurring event are returned per expansion window; more are reported.
    public var maxOccurrencesPerEvent: Int
    /// At most this many recurrence periods (years, months, days, …) are examined per event and window; a rule that
    /// finds nothing in that many periods (for example `BYMONTHDAY=30;BYMONTH=2`) stops and is reported.
    public var maxIterationsPerEvent: Int

    /// Creates limits; the defaults suit public event feeds.
    public init(maxBytes: Int = 32 << 20, maxOccurrencesPerEvent: Int = 5000, maxIterationsPerEvent: Int = 200_000) {
        self.maxBytes = maxBytes
        self.maxOccurrencesPerEvent = maxOccurrencesPerEvent
        self.maxIterationsPerEvent = maxIterationsPerEvent
    }
}
