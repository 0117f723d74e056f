import Foundation

/// Lenient parsing of the dates feeds carry, by hand (no DateFormatter, so no per-call cost and no locale surprises).
///
/// Reads RFC 822/1123 and its real-world variants (missing weekday or seconds, one-digit day, two-digit year,
/// `GMT`/`UT`/`EST`/`CEST`-style zone names, `+0100` or `+01:00`, English and Swedish month names, "Sept") and
/// RFC 3339 / ISO 8601 (with or without fractional seconds, `Z` or an offset, a space instead of `T`, date only).
/// A value without a zone is read in `timeZone`. Anything else is nil.
public enum FeedDate {
    /// Parses `text`; nil when it is not a date this parser understands or the fields are out of range.
    public static func parse(_ text: String, timeZone: TimeZone = TimeZone(secondsFromGMT: 0) ?? .current) -> Date? {
        let trimmed = text.trimmedWhitespace
        guard !trimmed.isEmpty, trimmed.utf8.count < 200 else { return nil }
        // The common RFC 1123 form first (it never starts as ISO's four digits and a dash do).
        if let date = canonicalRFC1123(trimmed) { return date }
        let scalars = Array(trimmed.unicodeScalars)
        if scalars.count >= 10, scalars.prefix(4).allSatisfy(isDigit), scalars[4] == "-" {
            return parseISO(scalars, timeZone: timeZone)
        }
        return parseRFC822(trimmed, timeZone: timeZone)
    }

    /// The form nearly every feed writes, `Mon, 30 Nov 2026 09:00:00 +0000` (weekday optional, one- or two-digit
    /// day, seconds optional, `GMT`/`UT`/`UTC`/`Z` or `±hhmm`), read from the bytes; nil for anything else, which
    /// `parseRFC822` then reads. Where both read a text they agree (a test compares them).
    static func canonicalRFC1123(_ text: String) -> Date? {
        var text = text
        return text.withUTF8 { bytes -> Date? in
            var index = 0
            func byte(_ offset: Int = 0) -> UInt8? { index + offset < bytes.count ? bytes[index + offset] : nil }
            func letters(_ count: Int) -> String? {
                guard index + count <= bytes.count else { return nil }
                let start = index
                for offset in 0..<count {
                    let value = bytes[start + offset] | 0x20
                    guard value >= 0x61, value <= 0x7A else { return nil }
                }
                index += count
                return String(unsafeUninitializedCapacity: count) { name in
                    for offset in 0..<count { name[offset] = bytes[start + offset] | 0x20 }
                    return count
                }
            }
            func digits(_ range: ClosedRange<Int>) -> Int? {
                var value = 0
                var count = 0
                while let next = byte(), next >= 0x30, next <= 0x39, count < range.upperBound {
                    value = value * 10 + Int(next - 0x30)
                    count += 1
                    index += 1
                }
                return range.contains(count) && !(byte().map { $0 >= 0x30 && $0 <= 0x39 } ?? false) ? value : nil
            }
            func expect(_ expected: UInt8) -> Bool {
                guard byte() == expected else { return false }
                index += 1
                return true
            }
            if let first = byte(), first > 0x39 {
                guard let name = letters(3), weekdays.contains(name), expect(UInt8(ascii: ",")),
                    expect(UInt8(ascii: " "))
                else { return nil }
            }
            guard let day = digits(1...2), expect(UInt8(ascii: " ")), let monthName = letters(3),
                let month = months[monthName], expect(UInt8(ascii: " ")), let year = digits(4...4),
                expect(UInt8(ascii: " ")), let hour = digits(2...2), expect(UInt8(ascii: ":")),
                let minute = digits(2...2)
            else { return nil }
            var fields = Fields(year: year, month: month, day: day)
            fields.hour = hour
            fields.minute = minute
            if expect(UInt8(ascii: ":")) {
                guard let second = digits(2...2) else { return nil }
                fields.second = second
            }
            guard expect(UInt8(ascii: " ")), let sign = byte() else { return nil }
            if sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                index += 1
                guard let value = digits(4...4), value / 100 <= 14, value % 100 < 60 else { return nil }
                fields.offset = (sign == UInt8(ascii: "-") ? -1 : 1) * (value / 100 * 3600 + value % 100 * 60)
            } else {
                guard let zone = letters(bytes.count - index),
                    zone == "gmt" || zone == "ut" || zone == "utc" || zone == "z"
                else { return nil }
                fields.offset = 0
            }
            guard index == bytes.count else { return nil }
            return fields.date(defaultTimeZone: utc)  // the offset is set: the zone is not read
        }
    }

    private static let utc = TimeZone(secondsFromGMT: 0)!

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool { scalar >= "0" && scalar <= "9" }

    /// RFC 3339 / ISO 8601: `YYYY-MM-DD[(T| )hh:mm[:ss[.fff]]][Z|±hh[:]mm]`.
    private static func parseISO(_ s: [Unicode.Scalar], timeZone: TimeZone) -> Date? {
        var index = 0
        func number(_ length: Int) -> Int? {
            guard index + length <= s.count else { return nil }
            var value = 0
            for scalar in s[index..<index + length] {
                guard isDigit(scalar) else { return nil }
                value = value * 10 + Int(scalar.value - 48)
            }
            index += length
            return value
        }
        func expect(_ scalar: Unicode.Scalar) -> Bool {
            guard index < s.count, s[index] == scalar else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2) else {
            return nil
        }
        var fields = Fields(year: year, month: month, day: day)
        if index < s.count, s[index] == "T" || s[index] == "t" || s[index] == " " {
            index += 1
            guard let hour = number(2), expect(":"), let minute = number(2) else { return nil }
            fields.hour = hour
            fields.minute = minute
            if expect(":") {
                guard let second = number(2) else { return nil }
                fields.second = second
                if index < s.count, s[index] == "." || s[index] == "," {
                    index += 1
                    var scale = 0.1
                    var fraction = 0.0
                    while index < s.count, isDigit(s[index]) {
                        fraction += Double(s[index].value - 48) * scale
                        scale /= 10
                        index += 1
                    }
                    fields.fraction = fraction
                }
            }
            while index < s.count, s[index] == " " { index += 1 }
            if index < s.count {
                if s[index] == "Z" || s[index] == "z" {
                    fields.offset = 0
                    index += 1
                } else if s[index] == "+" || s[index] == "-" {
                    let sign = s[index] == "-" ? -1 : 1
                    index += 1
                    guard let hours = number(2) else { return nil }
                    _ = expect(":")
                    let minutes = number(2) ?? 0
                    fields.offset = sign * (hours * 3600 + minutes * 60)
                } else {
                    return nil
                }
            }
        }
        guard index == s.count else { return nil }
        return fields.date(defaultTimeZone: timeZone)
    }

    /// RFC 822 and relatives: tokens in any sensible order.
    /// Any RFC 822 variant `parse` reads, token by token.
    static func parseRFC822(_ text: String, timeZone: TimeZone) -> Date? {
        var tokens: [Substring] = []
        var current = text.startIndex
        var start: String.Index?
        while current < text.endIndex {
            let character = text[current]
            if character == " " || character == "," || character == "\t" || character == "\n" || character == "\r" {
                if let tokenStart = start { tokens.append(text[tokenStart..<current]) }
                start = nil
            } else if start == nil {
                start = current
            }
            current = text.index(after: current)
        }
        if let tokenStart = start { tokens.append(text[tokenStart...]) }

        var fields = Fields()
        var numbers: [Int] = []
        var numberWidths: [Int] = []
        var pm: Bool?
        for token in tokens {
            let lower = token.lowercased()
            if token.utf8.contains(UInt8(ascii: ":")), fields.hour == nil, let first = token.first, first.isNumber {
                let parts = token.split(separator: ":", omittingEmptySubsequences: false)
                guard parts.count >= 2, parts.count <= 3, let hour = Int(parts[0]), let minute = Int(parts[1]) else {
                    return nil
                }
                fields.hour = hour
                fields.minute = minute
                if parts.count == 3 {
                    let secondsPart = parts[2].split(separator: ".", maxSplits: 1)
                    guard let second = secondsPart.first.flatMap({ Int($0) }) else { return nil }
                    fields.second = second
                }
            } else if let first = token.first, first == "+" || first == "-", token.count >= 3 {
                guard let offset = numericOffset(token.dropFirst(), negative: first == "-") else { return nil }
                fields.offset = offset
            } else if let value = Int(token) {
                numbers.append(value)
                numberWidths.append(token.count)
            } else if lower == "am" || lower == "a.m." {
                pm = false
            } else if lower == "pm" || lower == "p.m." {
                pm = true
            } else if let offset = zoneNames[lower] {
                fields.offset = offset
            } else if lower.hasPrefix("gmt") || lower.hasPrefix("utc"), lower.count > 3 {
                guard let offset = numericOffset(token.dropFirst(4), negative: token.dropFirst(3).first == "-") else {
                    return nil
                }
                fields.offset = offset
            } else if let month = month(lower) {
                fields.month = month
            } else if weekday(lower) {
                continue
            } else {
                return nil
            }
        }
        guard fields.month != nil, numbers.count == 2 else { return nil }
        if numberWidths[0] == 4 {
            fields.year = numbers[0]
            fields.day = numbers[1]
        } else {
            fields.day = numbers[0]
            fields.year = numbers[1]
            if numberWidths[1] <= 2 { fields.year = numbers[1] < 50 ? 2000 + numbers[1] : 1900 + numbers[1] }
        }
        if let pm, let hour = fields.hour {
            guard hour >= 1, hour <= 12 else { return nil }
            fields.hour = hour % 12 + (pm ? 12 : 0)
        }
        return fields.date(defaultTimeZone: timeZone)
    }

    private static func numericOffset(_ digits: Substring, negative: Bool) -> Int? {
        let clean = digits.filter { $0 != ":" }
        guard clean.count == 4 || clean.count == 2, clean.allSatisfy(\.isASCII), let value = Int(clean) else {
            return nil
        }
        let hours = clean.count == 4 ? value / 100 : value
        let minutes = clean.count == 4 ? value % 100 : 0
        guard hours <= 14, minutes < 60 else { return nil }
        return (negative ? -1 : 1) * (hours * 3600 + minutes * 60)
    }

    private static let zoneNames: [String: Int] = [
        "gmt": 0, "ut": 0, "utc": 0, "z": 0, "wet": 0, "bst": 3600, "west": 3600, "cet": 3600, "met": 3600,
        "cest": 7200, "mest": 7200, "eet": 7200, "eest": 10800, "msk": 10800, "est": -18000, "edt": -14400,
        "cst": -21600, "cdt": -18000, "mst": -25200, "mdt": -21600, "pst": -28800, "pdt": -25200,
    ]

    private static let months: [String: Int] = [
        "jan": 1, "january": 1, "januari": 1, "feb": 2, "february": 2, "februari": 2, "mar": 3, "march": 3,
        "mars": 3, "apr": 4, "april": 4, "may": 5, "maj": 5, "jun": 6, "june": 6, "juni": 6, "jul": 7, "july": 7,
        "juli": 7, "aug": 8, "august": 8, "augusti": 8, "sep": 9, "sept": 9, "september": 9, "oct": 10, "okt": 10,
        "october": 10, "oktober": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
    ]

    /// The month number of an English or Swedish month name or abbreviation (with or without a final dot).
    public static func month(_ lowercased: String) -> Int? {
        let name = lowercased.hasSuffix(".") ? String(lowercased.dropLast()) : lowercased
        return months[name]
    }

    private static let weekdays: Set<String> = [
        "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun", "monday", "tuesday", "wednesday",
        "thursday", "friday", "saturday", "sunday", "mån", "tis", "ons", "tor", "tors", "fre", "lör", "sön",
        "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag",
    ]

    private static func weekday(_ lowercased: String) -> Bool {
        weekdays.contains(lowercased.hasSuffix(".") ? String(lowercased.dropLast()) : lowercased)
    }

    /// Broken-down fields of a date, checked and converted without Calendar for speed.
    struct Fields {
        var year = 0
        var month: Int?
        var day = 0
        var hour: Int?
        var minute = 0
        var second = 0
        var fraction = 0.0
        var offset: Int?

        init(year: Int = 0, month: Int? = nil, day: Int = 0) {
            self.year = year
            self.month = month
            self.day = day
        }

        func date(defaultTimeZone: TimeZone) -> Date? {
            guard let month, (1...12).contains(month), year >= 1, year <= 9999, day >= 1,
                day <= FeedDate.daysInMonth(year: year, month: month)
            else { return nil }
            let hour = self.hour ?? 0
            guard (0...24).contains(hour), (0...59).contains(minute), (0...60).contains(second) else { return nil }
            let days = FeedDate.daysFromCivil(year: year, month: month, day: day)
            let local = Double(days * 86_400 + hour * 3600 + minute * 60 + min(second, 59)) + fraction
            if let offset { return Date(timeIntervalSince1970: local - Double(offset)) }
            let guess = Date(timeIntervalSince1970: local - Double(defaultTimeZone.secondsFromGMT()))
            let first = defaultTimeZone.secondsFromGMT(for: guess)
            let corrected = Date(timeIntervalSince1970: local - Double(first))
            return Date(timeIntervalSince1970: local - Double(defaultTimeZone.secondsFromGMT(for: corrected)))
        }
    }

    /// The days in `month` (1–12) of `year` in the proleptic Gregorian calendar.
    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
