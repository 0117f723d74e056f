import Foundation

/// The "add to calendar" links of one event: its own `.ics` at `digest serve` (when the newsletter has a base URL),
/// and Google Calendar's and Outlook.com's forms filled in with the title, the times in UTC, the place and the link.
struct CalendarLinks: Equatable {
    /// `https://…/event/<id>.ics`, served by `digest serve` from what `digest send` published.
    var ics: String?
    /// Google Calendar's event form.
    var google: String
    /// Outlook.com's event form.
    var outlook: String

    /// The links of `item` (an event with a start); `baseURL` is the newsletter's, `icsID` the id its `.ics` is
    /// published under; an all-day event's days are those of `timeZone`.
    init?(_ item: Item, baseURL: URL?, icsID: String, timeZone: TimeZone) {
        guard let start = item.start else { return nil }
        let end = max(item.end ?? start, start)
        let details = item.url?.absoluteString ?? ""
        let place = item.location ?? ""
        if let baseURL {
            let base =
                baseURL.absoluteString.hasSuffix("/")
                ? String(baseURL.absoluteString.dropLast()) : baseURL.absoluteString
            ics = base + "/event/" + Self.encode(icsID) + ".ics"
        }
        let googleDates: String
        let outlookTimes: String
        let utc = TimeZone(identifier: "UTC")!
        if item.allDay {
            let last = end > start ? end : start.addingTimeInterval(86_400)
            googleDates =
                Self.stamp(start, in: timeZone, compact: true, dayOnly: true) + "/"
                + Self.stamp(last, in: timeZone, compact: true, dayOnly: true)
            outlookTimes =
                "startdt=\(Self.stamp(start, in: timeZone, compact: false, dayOnly: true))"
                + "&enddt=\(Self.stamp(last, in: timeZone, compact: false, dayOnly: true))&allday=true"
        } else {
            googleDates =
                Self.stamp(start, in: utc, compact: true, dayOnly: false) + "/"
                + Self.stamp(end, in: utc, compact: true, dayOnly: false)
            outlookTimes =
                "startdt=\(Self.stamp(start, in: utc, compact: false, dayOnly: false))"
                + "&enddt=\(Self.stamp(end, in: utc, compact: false, dayOnly: false))"
        }
        google =
            "https://calendar.google.com/calendar/render?action=TEMPLATE&text=\(Self.encode(item.title))"
            + "&dates=\(googleDates)&details=\(Self.encode(details))&location=\(Self.encode(place))"
        outlook =
            "https://outlook.live.com/calendar/0/deeplink/compose?path=%2Fcalendar%2Faction%2Fcompose&rru=addevent"
            + "&subject=\(Self.encode(item.title))&\(outlookTimes)&location=\(Self.encode(place))&body=\(Self.encode(details))"
    }

    /// `text` percent-encoded for a query value: everything but the unreserved characters of RFC 3986.
    static func encode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        return out
    }

    /// `date`'s digits in `zone`: `20261208T080000Z` (`compact`) or `2026-12-08T08:00:00Z`, or the day alone.
    private static func stamp(_ date: Date, in zone: TimeZone, compact: Bool, dayOnly: Bool) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let p = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ value: Int?) -> String { (value ?? 0) < 10 ? "0\(value ?? 0)" : "\(value ?? 0)" }
        let year = String(p.year ?? 1970)
        let day = compact ? year + two(p.month) + two(p.day) : "\(year)-\(two(p.month))-\(two(p.day))"
        if dayOnly { return day }
        let time =
            compact ? two(p.hour) + two(p.minute) + two(p.second) : "\(two(p.hour)):\(two(p.minute)):\(two(p.second))"
        return day + "T" + time + "Z"
    }
}
