/// Why a whole input could not be read as iCalendar at all.
public enum ICalendarError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The input is larger than `ICalendarLimits.maxBytes`.
    case tooLarge(bytes: Int, limit: Int)
    /// The input looks like binary data (it holds NUL bytes).
    case binary
    /// The input has neither a `BEGIN:VCALENDAR` nor a `BEGIN:VEVENT` line.
    case notICalendar

    /// A message saying what was wrong and what to check.
    public var description: String {
        switch self {
        case .tooLarge(let bytes, let limit):
            return "calendar is \(bytes) bytes, more than the limit of \(limit) bytes"
        case .binary:
            return "not iCalendar: the data is binary (it contains NUL bytes)"
        case .notICalendar:
            return "not iCalendar: no BEGIN:VCALENDAR line found (check that the URL serves an .ics file)"
        }
    }
}
