import Foundation

/// The RFC 5322 §3.3 date-time form, `Thu, 13 Feb 2025 09:00:00 +0100`.
///
/// Formatted by hand, with English day and month names and a numeric zone, so the output never depends on the
/// machine's locale or the process's time zone.
public enum RFC5322Date {
    private static let dayNames = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
    private static let monthNames = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]

    /// The date as an RFC 5322 date-time in the given zone (UTC by default); fractional seconds are dropped and
    /// dates outside the years 1–9999 are clamped to that range.
    public static func string(from date: Date, timeZone: TimeZone = TimeZone(secondsFromGMT: 0) ?? .current) -> String {
        let offsetSeconds = timeZone.secondsFromGMT(for: date)
        let offsetMinutes = offsetSeconds / 60
        let raw = date.timeIntervalSince1970
        let clamped = raw.isFinite ? min(max(raw, -62_135_596_800), 253_402_214_400) : 0
        let local = Int64(clamped.rounded(.down)) + Int64(offsetMinutes * 60)
        let days = floorDivide(local, 86_400)
        let secondsOfDay = Int(local - days * 86_400)
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        let weekday = Int(((days % 7) + 7) % 7)

        let sign = offsetMinutes < 0 ? "-" : "+"
        let absoluteOffset = abs(offsetMinutes)
        return "\(dayNames[weekday]), \(pad(day, 2)) \(monthNames[month - 1]) \(pad(Int(year), 4)) "
            + "\(pad(secondsOfDay / 3600, 2)):\(pad(secondsOfDay / 60 % 60, 2)):\(pad(secondsOfDay % 60, 2)) "
            + "\(sign)\(pad(absoluteOffset / 60, 2))\(pad(absoluteOffset % 60, 2))"
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor)
    }

    /// Year, month (1–12) and day for a count of days since 1970-01-01 in the proleptic Gregorian calendar
    /// (the "civil_from_days" algorithm by Howard Hinnant).
    private static func civilDate(daysSinceEpoch: Int64) -> (year: Int64, month: Int, day: Int) {
        let z = daysSinceEpoch + 719_468
        let era = floorDivide(z, 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * monthIndex + 2) / 5 + 1)
        let month = Int(monthIndex < 10 ? monthIndex + 3 : monthIndex - 9)
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(abs(value))
        let padded = String(repeating: "0", count: max(0, width - digits.count)) + digits
        return value < 0 ? "-" + padded : padded
    }
}
