import Foundation

/// A DATE or DATE-TIME property value (RFC 5545 sections 3.3.4 and 3.3.5) with the instant it denotes.
public struct DateValue: Sendable, Equatable, CustomStringConvertible {
    /// How the wall-clock digits are tied to an instant.
    public enum Form: Sendable, Hashable {
        /// A DATE (`VALUE=DATE`, `YYYYMMDD`): a whole day, read as midnight in the parser's default time zone.
        case date
        /// A DATE-TIME in UTC (`…Z`).
        case utc
        /// A floating DATE-TIME (no `Z`, no `TZID`), read in the parser's default time zone.
        case floating
        /// A DATE-TIME with a `TZID` parameter; `tzid` is the identifier as written (quotes removed).
        case zoned(tzid: String)
    }

    /// The wall-clock digits as written.
    public internal(set) var local: LocalDateTime
    /// How `local` is tied to an instant.
    public internal(set) var form: Form
    /// The instant `local` denotes (for a DATE, its midnight in the default time zone).
    public internal(set) var date: Date
    /// The zone `local` is read in.
    var zone: ZoneRules

    /// Creates a value from wall-clock digits read in `zone`.
    init(local: LocalDateTime, form: Form, zone: ZoneRules) {
        self.local = local
        self.form = form
        self.zone = zone
        self.date = Date(timeIntervalSince1970: TimeInterval(zone.epoch(forLocal: local.epochSeconds)))
    }

    /// Whether this is a DATE (an all-day value).
    public var isDate: Bool { form == .date }

    /// Two values are equal when their digits, form and instant are.
    public static func == (lhs: DateValue, rhs: DateValue) -> Bool {
        lhs.local == rhs.local && lhs.form == rhs.form && lhs.date == rhs.date
    }

    /// The value in iCalendar form, for example `20260301`, `20260301T100000Z` or `TZID=Europe/Stockholm:20260301T100000`.
    public var description: String {
        switch form {
        case .date: return String(local.description.prefix(8))
        case .utc: return local.description + "Z"
        case .floating: return local.description
        case .zoned(let tzid): return "TZID=\(tzid):\(local)"
        }
    }
}
