import DigestSupport
import Foundation
import ICalendar

/// Items as JSON Lines for `digest collect --json`: one object per item with fixed keys in a fixed order, times in
/// RFC 3339 with the newsletter's offset, all-day dates as `YYYY-MM-DD` (the end exclusive, as in iCalendar),
/// missing values `null`. `status` is `confirmed`, `tentative` or `cancelled` for events and `null` for funding
/// calls; `published` and `updated` are what a feed said of its entry.
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
        var out: [UInt8] = []
        withUnsafePointer(to: item) { append(line: $0, to: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    /// ``line(for:)``'s object for the item at `item` appended to `out` as UTF-8, without a newline: many lines are
    /// written into one buffer without a string for each. The item is read where it is, field by field (passed by
    /// value from a buffer, an `Item` is copied first: about forty retains).
    public func append(line item: UnsafePointer<Item>, to out: inout [UInt8]) {
        out.reserveCapacity(out.count + 256 + item.pointee.title.utf8.count + item.pointee.summary.utf8.count)
        var first = true
        func key(_ name: StaticString) {
            out.append(first ? UInt8(ascii: "{") : UInt8(ascii: ","))
            first = false
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
            out += "\":".utf8
        }
        func value(_ text: String?) {
            if let text { Self.append(string: text, to: &out) } else { out += "null".utf8 }
        }
        func moment(_ date: Date?, allDay: Bool) {
            guard let date else {
                out += "null".utf8
                return
            }
            out.append(UInt8(ascii: "\""))
            append(time: date, allDay: allDay, to: &out)
            out.append(UInt8(ascii: "\""))
        }
        func list(_ texts: [String]) {
            out.append(UInt8(ascii: "["))
            for (index, text) in texts.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                Self.append(string: text, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        }
        key("id")
        value(item.pointee.id)
        key("kind")
        value(item.pointee.kind.rawValue)
        key("source")
        value(item.pointee.source)
        key("uid")
        value(item.pointee.uid)
        key("title")
        value(item.pointee.title)
        key("summary")
        value(item.pointee.summary)
        key("url")
        value(item.pointee.url?.absoluteString)
        key("start")
        moment(item.pointee.start, allDay: item.pointee.allDay)
        key("end")
        moment(item.pointee.end, allDay: item.pointee.allDay)
        key("allDay")
        out += (item.pointee.allDay ? "true" : "false").utf8
        key("location")
        value(item.pointee.location)
        key("organizer")
        value(item.pointee.organizer)
        key("deadline")
        moment(item.pointee.deadline, allDay: false)
        key("topics")
        list(item.pointee.topics)
        key("regions")
        list(item.pointee.regions)
        key("status")
        value(Self.status(of: item.pointee.kind, cancelled: item.pointee.cancelled, tentative: item.pointee.tentative))
        key("published")
        moment(item.pointee.published, allDay: false)
        key("updated")
        moment(item.pointee.updated, allDay: false)
        out.append(UInt8(ascii: "}"))
    }

    /// An event's status as `collect --json` writes it (nil for a funding call). An event no source marked is
    /// `confirmed`, as iCalendar reads a VEVENT without STATUS.
    static func status(of item: Item) -> String? {
        status(of: item.kind, cancelled: item.cancelled, tentative: item.tentative)
    }

    private static func status(of kind: ItemKind, cancelled: Bool, tentative: Bool) -> String? {
        guard kind == .event else { return nil }
        if cancelled { return "cancelled" }
        return tentative ? "tentative" : "confirmed"
    }

    /// `2026-12-08T09:00:00+01:00`, or `2026-12-08` for an all-day date.
    public func time(_ date: Date, allDay: Bool) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(25)
        append(time: date, allDay: allDay, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `time(date, allDay:)` written to `out` as UTF-8, with no string made on the way.
    func append(time date: Date, allDay: Bool, to out: inout [UInt8]) {
        let offset = calendar.timeZone.secondsFromGMT(for: date)
        let local = LocalDateTime(epochSeconds: Int(date.timeIntervalSince1970.rounded(.down)) + offset)
        Self.append(local.year, width: 4, to: &out)
        out.append(UInt8(ascii: "-"))
        Self.append(local.month, to: &out)
        out.append(UInt8(ascii: "-"))
        Self.append(local.day, to: &out)
        if allDay { return }
        out.append(UInt8(ascii: "T"))
        Self.append(local.hour, to: &out)
        out.append(UInt8(ascii: ":"))
        Self.append(local.minute, to: &out)
        out.append(UInt8(ascii: ":"))
        Self.append(local.second, to: &out)
        out.append(UInt8(ascii: offset < 0 ? "-" : "+"))
        Self.append(abs(offset) / 3600, to: &out)
        out.append(UInt8(ascii: ":"))
        Self.append(abs(offset) % 3600 / 60, to: &out)
    }

    /// `value` in decimal, left-padded with zeros to `width` digits, written digit by digit (a negative value, which
    /// no calendar field here holds, through its text).
    private static func append(_ value: Int, width: Int = 2, to out: inout [UInt8]) {
        guard value >= 0 else {
            let text = String(value)
            out += repeatElement(UInt8(ascii: "0"), count: max(0, width - text.utf8.count))
            out += text.utf8
            return
        }
        var divisor = 1
        var digits = 1
        while value / divisor >= 10 {
            divisor *= 10
            digits += 1
        }
        out += repeatElement(UInt8(ascii: "0"), count: max(0, width - digits))
        var rest = value
        while divisor > 0 {
            out.append(UInt8(ascii: "0") + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }

    /// Whether one of `word`'s bytes may start an escape (as `mayNeedEscape` says of one byte).
    private static func mayNeedEscape(_ word: ByteWord) -> Bool {
        word.holdsByte(below: 0x20) || word.holds(0x22) || word.holds(0x5C) || word.holds(0xE2)
    }

    /// The bytes that may start an escape in ``append(string:to:)``: the quote, the backslash, control characters,
    /// and 0xE2, the lead byte of U+2028 and U+2029.
    private static let mayNeedEscape: [Bool] = (0...255).map { byte in
        byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0xE2
    }

    /// `text` as a JSON string: quotes, backslashes and control characters escaped, and U+2028/U+2029 too (they end
    /// a line in JavaScript); everything else copied as UTF-8.
    static func append(string text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var text = text
        text.makeContiguousUTF8()
        let mayNeedEscape = Self.mayNeedEscape
        text.utf8.withContiguousStorageIfAvailable { bytes in
            var run = 0  // the start of the bytes not copied yet
            var index = 0
            while index < bytes.count {
                // Most bytes need nothing: skipped eight at a time, else by one table lookup each.
                if index + 8 <= bytes.count, !Self.mayNeedEscape(ByteWord(bytes, at: index)) {
                    index += 8
                    continue
                }
                if !mayNeedEscape[Int(bytes[index])] {
                    index += 1
                    continue
                }
                let byte = bytes[index]
                let escape: String?
                switch byte {
                case UInt8(ascii: "\""): escape = "\\\""
                case UInt8(ascii: "\\"): escape = "\\\\"
                case 0x0A: escape = "\\n"
                case 0x0D: escape = "\\r"
                case 0x09: escape = "\\t"
                case 0..<0x20: escape = "\\u00" + (byte < 0x10 ? "0" : "") + String(byte, radix: 16)
                case 0xE2
                where index + 2 < bytes.count && bytes[index + 1] == 0x80
                    && (bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9):
                    escape = bytes[index + 2] == 0xA8 ? "\\u2028" : "\\u2029"
                default: escape = nil
                }
                guard let escape else {
                    index += 1
                    continue
                }
                out += UnsafeBufferPointer(rebasing: bytes[run..<index])
                out += escape.utf8
                index += byte == 0xE2 ? 3 : 1
                run = index
            }
            out += UnsafeBufferPointer(rebasing: bytes[run...])
        }
        out.append(UInt8(ascii: "\""))
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
