import Deadlines
import Feeds
import Foundation

/// Reads the dates that mapped fields hold: RFC 3339 and ISO 8601 with or without an offset (none: the newsletter's
/// zone), a bare date, epoch seconds or milliseconds, RFC 822, and Swedish or English text ("Stängd 19 mars 2027",
/// "Sista ansökningsdag 2027-02-15 kl. 14.00") through the deadline and date scanners.
struct MappedDate: Sendable {
    /// What a value was read as.
    enum Reading: Equatable {
        /// An instant; `dateOnly` when the value named a day without a time.
        case date(Date, dateOnly: Bool)
        /// "Löpande", "rolling": applications are taken continuously, so there is no date.
        case rolling
        /// Not a date.
        case unreadable
    }

    let timeZone: TimeZone
    let finder: DeadlineFinder

    /// Reads `text` as the value of `field`: a bare day is its end (23:59:59) for a deadline or an end, else its start.
    func read(_ text: String, for field: MappedField, reference: Date?) -> Reading {
        let trimmed = text.trimmedWhitespace
        guard !trimmed.isEmpty, trimmed.utf8.count < 2000 else { return .unreadable }
        let endOfDay = field == .deadline
        if let epoch = Self.epoch(trimmed) { return .date(epoch, dateOnly: false) }
        if Self.isBareDay(trimmed) {
            guard let date = LocalDateParser(timeZone: timeZone).parse(trimmed, endOfDay: endOfDay) else {
                return .unreadable
            }
            return .date(date, dateOnly: true)
        }
        // ISO 8601, and RFC 822 with a time of day; a date written in words without a time goes to the scanners, which
        // know a deadline's day ends at 23:59:59.
        let isISO = trimmed.utf8.prefix(5).enumerated().allSatisfy { index, byte in
            index == 4 ? byte == UInt8(ascii: "-") : (48...57).contains(byte)
        }
        if isISO || trimmed.contains(":"), let date = FeedDate.parse(trimmed, timeZone: timeZone) {
            return .date(date, dateOnly: false)
        }
        // One date in the text is the value whatever phrase stands before it; only when the text names several
        // (an opening and a closing day) do the phrases decide which one the field means.
        let mentioned = finder.dates(in: trimmed, referenceDate: reference, endOfDay: endOfDay)
        if mentioned.count == 1 { return .date(mentioned[0].date, dateOnly: !mentioned[0].hasTime) }
        if mentioned.isEmpty {
            return DeadlineFinder.isRolling(trimmed) ? .rolling : .unreadable
        }
        let found = finder.find(in: trimmed, referenceDate: reference, readBudgets: false)
        if field == .deadline, let deadline = found.deadline {
            return .date(deadline, dateOnly: !found.deadlineHasTime)
        }
        if field == .opens, let opens = found.opens { return .date(opens, dateOnly: false) }
        return .date(mentioned[0].date, dateOnly: !mentioned[0].hasTime)
    }

    /// Epoch seconds (9–11 digits) or milliseconds (12–14 digits), optionally with a fraction.
    static func epoch(_ text: String) -> Date? {
        let whole = text.split(separator: ".", maxSplits: 1)
        guard let digits = whole.first, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
            whole.count == 1 || whole[1].allSatisfy({ $0.isASCII && $0.isNumber }),
            let value = Double(text)
        else { return nil }
        switch digits.count {
        case 9...11: return Date(timeIntervalSince1970: value)
        case 12...14: return Date(timeIntervalSince1970: value / 1000)
        default: return nil
        }
    }

    /// `YYYY-MM-DD` alone.
    static func isBareDay(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return false }
        return bytes.enumerated().allSatisfy { index, byte in index == 4 || index == 7 || (48...57).contains(byte) }
    }
}
