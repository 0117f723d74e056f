/// A parsed RRULE (RFC 5545 section 3.3.10).
public struct RecurrenceRule: Sendable, Equatable {
    /// The FREQ rule part.
    public enum Frequency: Int, Sendable, Hashable, Comparable {
        /// `SECONDLY`
        case secondly = 0
        /// `MINUTELY`
        case minutely
        /// `HOURLY`
        case hourly
        /// `DAILY`
        case daily
        /// `WEEKLY`
        case weekly
        /// `MONTHLY`
        case monthly
        /// `YEARLY`
        case yearly

        /// Orders from the finest (SECONDLY) to the coarsest (YEARLY).
        public static func < (lhs: Frequency, rhs: Frequency) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// FREQ.
    public var frequency: Frequency
    /// INTERVAL, at least 1.
    public var interval: Int = 1
    /// COUNT: the number of instances, DTSTART included.
    public var count: Int?
    /// UNTIL: the last possible instance, inclusive.
    public var until: DateValue?
    /// BYSECOND (0…60).
    public var bySecond: [Int] = []
    /// BYMINUTE (0…59).
    public var byMinute: [Int] = []
    /// BYHOUR (0…23).
    public var byHour: [Int] = []
    /// BYDAY, with optional ordinals.
    public var byDay: [WeekdayNum] = []
    /// BYMONTHDAY (±1…31).
    public var byMonthDay: [Int] = []
    /// BYYEARDAY (±1…366).
    public var byYearDay: [Int] = []
    /// BYWEEKNO (±1…53).
    public var byWeekNo: [Int] = []
    /// BYMONTH (1…12).
    public var byMonth: [Int] = []
    /// BYSETPOS (±1…366).
    public var bySetPos: [Int] = []
    /// WKST, Monday unless given.
    public var weekStart: Weekday = .monday

    /// Creates a rule with only a frequency.
    public init(frequency: Frequency) {
        self.frequency = frequency
    }
}
