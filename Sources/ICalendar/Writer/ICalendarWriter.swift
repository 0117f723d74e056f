import DigestSupport
import Foundation

/// Serialises events as a `METHOD:PUBLISH` calendar (RFC 5545, RFC 5546 section 3.2.1).
///
/// Lines end in CRLF and are folded at 75 octets without splitting a UTF-8 character; TEXT values are escaped;
/// times are written with the TZID of the given zone and a VTIMEZONE computed from Foundation's transitions for the
/// years the events span, or in UTC (`Z`) when the zone is UTC.
public struct ICalendarWriter: Sendable {
    /// PRODID, for example `-//Example//digest 1.0//EN`.
    public var productID: String

    /// Creates a writer that names itself `productID`.
    public init(productID: String) {
        self.productID = productID
    }

    /// The calendar text for `events`, with times in `timeZone`.
    public func publish(_ events: [PublishedEvent], timeZone: TimeZone) -> String {
        publish(events.map { write($0, timeZone: timeZone) }, timeZone: timeZone)
    }

    /// The calendar text for events written before with ``write(_:timeZone:)`` in the same `timeZone`: the same text
    /// ``publish(_:timeZone:)-(PublishedEvent)`` gives, for events shared by many calendars.
    public func publish(_ events: [WrittenEvent], timeZone: TimeZone) -> String {
        events.reduce(head(for: events, timeZone: timeZone)) { $0 + $1.text } + Self.tail
    }

    /// What a calendar of `events` starts with: the VCALENDAR properties and the VTIMEZONE the events need. The
    /// events' text and ``tail`` follow it.
    public func head(for events: [WrittenEvent], timeZone: TimeZone) -> String {
        var text = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:\(TextValue.escape(productID))", "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
        ].map(Self.fold).joined()
        let timed = events.filter { !$0.isAllDay }
        if !Self.isUTC(timeZone), let first = timed.map(\.start).min(), let last = timed.map(\.end).max() {
            text += Self.timeZoneText(timeZone, from: first, to: last)
        }
        return text
    }

    /// The line that ends a calendar.
    public static let tail = "END:VCALENDAR\r\n"

    /// One VEVENT, folded, with times in `timeZone`, to be published in one or many calendars.
    public func write(_ event: PublishedEvent, timeZone: TimeZone) -> WrittenEvent {
        let isUTC = Self.isUTC(timeZone)
        let zone = ZoneRules.foundation(timeZone)
        var lines: [String] = []
        lines.append("BEGIN:VEVENT")
        lines.append("UID:\(TextValue.escape(event.uid))")
        lines.append("DTSTAMP:\(Self.utc(event.stamp))")
        lines.append("SEQUENCE:\(event.sequence)")
        if event.isAllDay {
            let startDay = zone.local(forEpoch: Self.epoch(event.start))
            var endDay = zone.local(forEpoch: Self.epoch(event.end) - 1)
            if endDay.epochDays < startDay.epochDays {
                endDay = startDay
            }
            lines.append("DTSTART;VALUE=DATE:\(Self.dateText(startDay.epochDays))")
            lines.append("DTEND;VALUE=DATE:\(Self.dateText(endDay.epochDays + 1))")
        } else if isUTC {
            lines.append("DTSTART:\(Self.utc(event.start))")
            lines.append("DTEND:\(Self.utc(max(event.start, event.end)))")
        } else {
            let tzid = Self.parameterValue(timeZone.identifier)
            lines.append("DTSTART;TZID=\(tzid):\(zone.local(forEpoch: Self.epoch(event.start)))")
            lines.append("DTEND;TZID=\(tzid):\(zone.local(forEpoch: Self.epoch(max(event.start, event.end))))")
        }
        lines.append("SUMMARY:\(TextValue.escape(event.summary))")
        if let description = event.description {
            lines.append("DESCRIPTION:\(TextValue.escape(description))")
        }
        if let location = event.location {
            lines.append("LOCATION:\(TextValue.escape(location))")
        }
        if let url = event.url {
            lines.append("URL:\(url.filter { !$0.isNewline })")
        }
        if let email = event.organizerEmail {
            let name = event.organizerName.map { ";CN=\(Self.parameterValue($0))" } ?? ""
            lines.append("ORGANIZER\(name):mailto:\(email.filter { !$0.isNewline })")
        }
        if let status = event.status {
            lines.append("STATUS:\(status.rawValue)")
        }
        if let days = event.alarmDaysBefore, days > 0 {
            lines.append("BEGIN:VALARM")
            lines.append("ACTION:DISPLAY")
            lines.append("DESCRIPTION:\(TextValue.escape(event.alarmText ?? event.summary))")
            lines.append("TRIGGER:-P\(days)D")
            lines.append("END:VALARM")
        }
        lines.append("END:VEVENT")
        return WrittenEvent(
            start: event.start,
            end: event.end,
            isAllDay: event.isAllDay,
            text: lines.map(Self.fold).joined()
        )
    }

    /// Whether `timeZone` is UTC for good (no offset, no transitions): times are then written in UTC, without a
    /// VTIMEZONE.
    static func isUTC(_ timeZone: TimeZone) -> Bool {
        timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: 0)) == 0
            && timeZone.nextDaylightSavingTimeTransition(after: Date(timeIntervalSince1970: 0)) == nil
    }

    private static let timeZoneTexts = BoundedCache<String, String>(capacity: 1_000)

    /// The folded VTIMEZONE for ``timeZoneLines(_:from:to:)``, worked out once per zone and span of years.
    static func timeZoneText(_ timeZone: TimeZone, from start: Date, to end: Date) -> String {
        let zone = ZoneRules.foundation(timeZone)
        let key =
            "\(timeZone.identifier)|\(zone.local(forEpoch: epoch(start)).year)|\(zone.local(forEpoch: epoch(end)).year)"
        return timeZoneTexts.value(for: key) { timeZoneLines(timeZone, from: start, to: end).map(fold).joined() }
    }

    /// The VTIMEZONE lines for `timeZone`, covering the years from `start` to `end` with a year to spare.
    static func timeZoneLines(_ timeZone: TimeZone, from start: Date, to end: Date) -> [String] {
        let zone = ZoneRules.foundation(timeZone)
        let firstYear = zone.local(forEpoch: epoch(start)).year - 1
        let lastYear = zone.local(forEpoch: epoch(end)).year + 1
        let rangeStart = Date(
            timeIntervalSince1970: TimeInterval(Civil.days(year: firstYear, month: 1, day: 1) * 86_400))
        let rangeEnd = Date(
            timeIntervalSince1970: TimeInterval(Civil.days(year: lastYear + 1, month: 1, day: 1) * 86_400))
        var lines = ["BEGIN:VTIMEZONE", "TZID:\(timeZone.identifier)"]
        func observance(at instant: Date, from offsetFrom: Int, to offsetTo: Int) {
            let kind = timeZone.isDaylightSavingTime(for: instant) ? "DAYLIGHT" : "STANDARD"
            lines += [
                "BEGIN:\(kind)", "DTSTART:\(LocalDateTime(epochSeconds: epoch(instant) + offsetFrom))",
                "TZOFFSETFROM:\(offsetText(offsetFrom))", "TZOFFSETTO:\(offsetText(offsetTo))", "END:\(kind)",
            ]
        }
        let initial = timeZone.secondsFromGMT(for: rangeStart)
        observance(at: rangeStart, from: initial, to: initial)
        var cursor = rangeStart
        var guardCount = 0
        while let transition = timeZone.nextDaylightSavingTimeTransition(after: cursor), transition < rangeEnd,
            guardCount < 1000
        {
            guardCount += 1
            let from = timeZone.secondsFromGMT(for: transition.addingTimeInterval(-1))
            let to = timeZone.secondsFromGMT(for: transition)
            observance(at: transition, from: from, to: to)
            cursor = transition
        }
        lines.append("END:VTIMEZONE")
        return lines
    }

    /// `±HHMM` (or `±HHMMSS`) for an offset in seconds.
    static func offsetText(_ offset: Int) -> String {
        let sign = offset < 0 ? "-" : "+"
        let magnitude = abs(offset)
        var text = sign + Civil.pad(magnitude / 3600, 2) + Civil.pad(magnitude / 60 % 60, 2)
        if magnitude % 60 != 0 {
            text += Civil.pad(magnitude % 60, 2)
        }
        return text
    }

    /// A parameter value, quoted when it holds `:`, `;` or `,` (DQUOTE and control characters are dropped).
    static func parameterValue(_ text: String) -> String {
        let cleaned = String(
            text.unicodeScalars.filter { $0 != "\"" && $0.value >= 0x20 && $0.value != 0x7F }.map(Character.init))
        return cleaned.contains(where: { $0 == ":" || $0 == ";" || $0 == "," }) ? "\"\(cleaned)\"" : cleaned
    }

    /// `YYYYMMDDTHHMMSSZ`.
    static func utc(_ date: Date) -> String {
        LocalDateTime(epochSeconds: epoch(date)).description + "Z"
    }

    /// `YYYYMMDD` of a day number.
    static func dateText(_ days: Int) -> String {
        String(LocalDateTime(epochSeconds: days * 86_400).description.prefix(8))
    }

    /// Whole seconds since 1970.
    static func epoch(_ date: Date) -> Int {
        Int(date.timeIntervalSince1970.rounded(.down))
    }

    /// The line folded at 75 octets (continuations start with a space), each piece ending in CRLF.
    static func fold(_ line: String) -> String {
        let bytes = Array(line.utf8)
        guard bytes.count > 75 else { return line + "\r\n" }
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count + bytes.count / 70 * 3 + 2)
        var index = 0
        var limit = 75
        while index < bytes.count {
            var end = min(index + limit, bytes.count)
            while end < bytes.count && end > index && bytes[end] & 0xC0 == 0x80 {
                end -= 1
            }
            if end == index {
                end = min(index + limit, bytes.count)
            }
            if index > 0 {
                result.append(0x20)
            }
            result.append(contentsOf: bytes[index..<end])
            result.append(contentsOf: [0x0D, 0x0A])
            index = end
            limit = 74
        }
        return String(decoding: result, as: UTF8.self)
    }
}
