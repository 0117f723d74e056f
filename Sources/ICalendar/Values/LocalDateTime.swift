/// A wall-clock date and time with no zone attached (the digits of an iCalendar DATE or DATE-TIME).
///
/// Arithmetic is proleptic Gregorian and done by hand, so it is fast and independent of Foundation's calendars.
public struct LocalDateTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The year, for example 2026.
    public var year: Int
    /// The month, 1…12.
    public var month: Int
    /// The day of the month, 1…31.
    public var day: Int
    /// The hour, 0…23.
    public var hour: Int
    /// The minute, 0…59.
    public var minute: Int
    /// The second, 0…60.
    public var second: Int

    /// Creates a wall-clock value; the fields are not normalised.
    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
    }

    /// Creates the wall-clock value `seconds` after 1970-01-01T00:00:00 (proleptic Gregorian).
    public init(epochSeconds seconds: Int) {
        let days = seconds >= 0 ? seconds / 86_400 : -((-seconds + 86_399) / 86_400)
        let rest = seconds - days * 86_400
        let (year, month, day) = Civil.date(fromDays: days)
        self.init(year: year, month: month, day: day, hour: rest / 3600, minute: rest / 60 % 60, second: rest % 60)
    }

    /// Days since 1970-01-01 of this date.
    var epochDays: Int { Civil.days(year: year, month: month, day: day) }

    /// Seconds since 1970-01-01T00:00:00 of this wall-clock time, as if it were UTC.
    var epochSeconds: Int { epochDays * 86_400 + hour * 3600 + minute * 60 + second }

    /// Whether the date exists in the Gregorian calendar and the time is in range.
    var isValid: Bool {
        month >= 1 && month <= 12 && day >= 1 && day <= Civil.daysInMonth(year: year, month: month) && hour >= 0
            && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 && second <= 60
    }

    /// Orders by the fields, year first.
    public static func < (lhs: LocalDateTime, rhs: LocalDateTime) -> Bool {
        (lhs.year, lhs.month, lhs.day, lhs.hour, lhs.minute, lhs.second)
            < (rhs.year, rhs.month, rhs.day, rhs.hour, rhs.minute, rhs.second)
    }

    /// `YYYYMMDDTHHMMSS`, the iCalendar form.
    public var description: String {
        Civil.pad(year, 4) + Civil.pad(month, 2) + Civil.pad(day, 2) + "T" + Civil.pad(hour, 2)
            + Civil.pad(minute, 2) + Civil.pad(second, 2)
    }
}

/// Proleptic Gregorian calendar arithmetic on day numbers (days since 1970-01-01).
enum Civil {
    /// Days since 1970-01-01 of a date (Howard Hinnant's days_from_civil).
    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The date of a day number.
    static func date(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// The weekday of a day number, 0 = Monday … 6 = Sunday.
    static func weekday(ofDays days: Int) -> Int {
        // 1970-01-01 was a Thursday (3).
        ((days % 7) + 7 + 3) % 7
    }

    /// Whether `year` is a leap year.
    static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    /// The number of days in a month.
    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// The number of days in a year.
    static func daysInYear(_ year: Int) -> Int { isLeap(year) ? 366 : 365 }

    /// `value` as a decimal with at least `width` digits.
    static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
