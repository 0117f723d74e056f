import Foundation

/// Items as JSON Lines for `digest collect --json`: one object per item with fixed keys in a fixed order, times in
/// RFC 3339 with the newsletter's offset, all-day dates as `YYYY-MM-DD` (the end exclusive, as in iCalendar),
/// missing values `null`.
public struct ItemJSON: Sendable {
    let calendar: Calendar

    /// An encoder writing times in `timeZone`.
    public init(timeZone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
    }

    /// One JSON object, without a trailing newline.
    public func line(for item: Item) -> String {
        let end = item.end
        let fields: [(String, String)] = [
            ("id", string(item.id)),
            ("kind", string(item.kind.rawValue)),
            ("source", string(item.source)),
            ("uid", item.uid.map(string) ?? "null"),
            ("title", string(item.title)),
            ("summary", string(item.summary)),
            ("url", item.url.map { string($0.absoluteString) } ?? "null"),
            ("start", item.start.map { string(time($0, allDay: item.allDay)) } ?? "null"),
            ("end", end.map { string(time($0, allDay: item.allDay)) } ?? "null"),
            ("allDay", item.allDay ? "true" : "false"),
            ("location", item.location.map(string) ?? "null"),
            ("organizer", item.organizer.map(string) ?? "null"),
            ("deadline", item.deadline.map { string(time($0, allDay: false)) } ?? "null"),
            ("topics", "[" + item.topics.map(string).joined(separator: ",") + "]"),
            ("regions", "[" + item.regions.map(string).joined(separator: ",") + "]"),
        ]
        return "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
    }

    /// `2026-12-08T09:00:00+01:00`, or `2026-12-08` for an all-day date.
    public func time(_ date: Date, allDay: Bool) -> String {
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let day = "\(pad(parts.year ?? 0, 4))-\(pad(parts.month ?? 0))-\(pad(parts.day ?? 0))"
        if allDay { return day }
        let offset = calendar.timeZone.secondsFromGMT(for: date)
        let sign = offset < 0 ? "-" : "+"
        let zone = "\(sign)\(pad(abs(offset) / 3600)):\(pad(abs(offset) % 3600 / 60))"
        return "\(day)T\(pad(parts.hour ?? 0)):\(pad(parts.minute ?? 0)):\(pad(parts.second ?? 0))\(zone)"
    }

    private func pad(_ value: Int, _ width: Int = 2) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    private func string(_ text: String) -> String {
        // Most values need no escape at all; they are copied whole.
        let plain = text.utf8.allSatisfy { byte in
            byte >= 0x20 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") && byte != 0xE2
        }
        if plain { return "\"" + text + "\"" }
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029 {
                    let hex = String(scalar.value, radix: 16)
                    result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}

/// Reads the times given on the command line (`--now`, `--from`, `--until`).
public enum TimeArgument {
    /// `2026-12-01T08:00:00+01:00` (RFC 3339), or `2026-12-01 08:00` / `2026-12-01` in `timeZone` (a bare date is
    /// its start).
    public static func parse(_ text: String, timeZone: TimeZone) -> Date? {
        LocalDateParser(timeZone: timeZone).parse(text, endOfDay: false)
    }
}
