/// Hand-written readers for iCalendar DATE, DATE-TIME, DURATION and UTC-OFFSET text (RFC 5545 section 3.3).
enum DateParsing {
    /// The wall-clock value of `YYYYMMDD` or `YYYYMMDDTHHMMSS[Z]`, and whether it ended in `Z`; nil if malformed.
    static func parse(_ text: Substring) -> (local: LocalDateTime, isDate: Bool, isUTC: Bool)? {
        let bytes = Array(text.utf8.filter { $0 != 0x20 && $0 != 0x09 })
        guard bytes.count >= 8, let year = number(bytes, 0, 4), let month = number(bytes, 4, 2),
            let day = number(bytes, 6, 2)
        else { return nil }
        if bytes.count == 8 {
            let local = LocalDateTime(year: year, month: month, day: day)
            return local.isValid ? (local, true, false) : nil
        }
        guard bytes.count == 15 || bytes.count == 16, bytes[8] == 0x54 || bytes[8] == 0x74,
            let hour = number(bytes, 9, 2), let minute = number(bytes, 11, 2), let second = number(bytes, 13, 2)
        else { return nil }
        var isUTC = false
        if bytes.count == 16 {
            guard bytes[15] == 0x5A || bytes[15] == 0x7A else { return nil }
            isUTC = true
        }
        let local = LocalDateTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        return local.isValid ? (local, false, isUTC) : nil
    }

    /// A UTC offset `±HHMM[SS]` in seconds.
    static func parseOffset(_ text: String) -> Int? {
        let bytes = Array(text.utf8.filter { $0 != 0x20 })
        guard bytes.count == 5 || bytes.count == 7, bytes[0] == 0x2B || bytes[0] == 0x2D,
            let hours = number(bytes, 1, 2), let minutes = number(bytes, 3, 2)
        else { return nil }
        let seconds = bytes.count == 7 ? number(bytes, 5, 2) : 0
        guard let seconds, hours < 24, minutes < 60, seconds < 60 else { return nil }
        let total = hours * 3600 + minutes * 60 + seconds
        return bytes[0] == 0x2D ? -total : total
    }

    /// The decimal number in `bytes[start..<start+length]`, nil unless all are digits.
    static func number(_ bytes: [UInt8], _ start: Int, _ length: Int) -> Int? {
        guard start + length <= bytes.count else { return nil }
        var value = 0
        for index in start..<(start + length) {
            let byte = bytes[index]
            guard byte >= 0x30 && byte <= 0x39 else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        return value
    }
}
