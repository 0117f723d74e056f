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
        // Google wants basic ISO 8601 (20261208T080000Z, or 20261208 for a day), Outlook extended; times in UTC,
        // an all-day event's days in the newsletter's zone (its end is exclusive, as in iCalendar).
        let googleDates: String
        let outlookTimes: String
        if item.allDay {
            let last = end > start ? end : start.addingTimeInterval(86_400)
            let basicDay = Date.ISO8601FormatStyle(dateSeparator: .omitted, timeZone: timeZone).year().month().day()
            let day = Date.ISO8601FormatStyle(timeZone: timeZone).year().month().day()
            googleDates = start.formatted(basicDay) + "/" + last.formatted(basicDay)
            outlookTimes = "startdt=\(start.formatted(day))&enddt=\(last.formatted(day))&allday=true"
        } else {
            let basic = Date.ISO8601FormatStyle(dateSeparator: .omitted, timeSeparator: .omitted, timeZone: .gmt)
            let extended = Date.ISO8601FormatStyle(timeZone: .gmt)
            googleDates = start.formatted(basic) + "/" + end.formatted(basic)
            outlookTimes = "startdt=\(start.formatted(extended))&enddt=\(end.formatted(extended))"
        }
        google =
            "https://calendar.google.com/calendar/render?action=TEMPLATE&text=\(Self.encode(item.title))"
            + "&dates=\(googleDates)&details=\(Self.encode(details))&location=\(Self.encode(place))"
        outlook =
            "https://outlook.live.com/calendar/0/deeplink/compose?path=%2Fcalendar%2Faction%2Fcompose&rru=addevent"
            + "&subject=\(Self.encode(item.title))&\(outlookTimes)&location=\(Self.encode(place))&body=\(Self.encode(details))"
    }

    /// The unreserved characters of RFC 3986, the only ones a query value keeps as they are.
    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    /// `text` percent-encoded for a query value: everything but the unreserved characters of RFC 3986.
    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }
}
