/// A DURATION value (RFC 5545 section 3.3.6): whole days (nominal, wall-clock) plus seconds (exact).
public struct ICalDuration: Sendable, Hashable, CustomStringConvertible {
    /// Nominal days (weeks count as 7 days); added on the wall clock, so a day across a DST change stays a day.
    public var days: Int
    /// Exact seconds (from hours, minutes and seconds).
    public var seconds: Int

    /// Creates a duration; negative values mean a duration before the start.
    public init(days: Int = 0, seconds: Int = 0) {
        self.days = days
        self.seconds = seconds
    }

    /// Reads `[+-]P[nW][nD][T[nH][nM][nS]]`; nil if malformed.
    public init?(parsing text: String) {
        var bytes = Substring(text.trimmingSpaces().uppercased()).utf8[...]
        var sign = 1
        if bytes.first == 0x2D {
            sign = -1
            bytes = bytes.dropFirst()
        } else if bytes.first == 0x2B {
            bytes = bytes.dropFirst()
        }
        guard bytes.first == 0x50 else { return nil }
        bytes = bytes.dropFirst()
        var days = 0
        var seconds = 0
        var inTime = false
        var number: Int?
        var sawPart = false
        for byte in bytes {
            switch byte {
            case 0x30...0x39:
                let digit = Int(byte - 0x30)
                let (product, overflow) = (number ?? 0).multipliedReportingOverflow(by: 10)
                guard !overflow, product < 100_000_000 else { return nil }
                number = product + digit
            case 0x54:  // T
                guard !inTime, number == nil else { return nil }
                inTime = true
            case 0x57, 0x44:  // W, D
                guard !inTime, let value = number else { return nil }
                days += byte == 0x57 ? value * 7 : value
                number = nil
                sawPart = true
            case 0x48, 0x4D, 0x53:  // H, M, S
                guard inTime, let value = number else { return nil }
                seconds += value * (byte == 0x48 ? 3600 : byte == 0x4D ? 60 : 1)
                number = nil
                sawPart = true
            default:
                return nil
            }
        }
        guard sawPart, number == nil else { return nil }
        self.days = days * sign
        self.seconds = seconds * sign
    }

    /// The duration in iCalendar form, for example `P1DT2H`.
    public var description: String {
        if days == 0 && seconds == 0 {
            return "PT0S"
        }
        let negative = days < 0 || seconds < 0
        let dayCount = abs(days)
        let secondCount = abs(seconds)
        var text = negative ? "-P" : "P"
        if dayCount > 0 {
            text += "\(dayCount)D"
        }
        if secondCount > 0 {
            text += "T"
            if secondCount / 3600 > 0 {
                text += "\(secondCount / 3600)H"
            }
            if secondCount / 60 % 60 > 0 {
                text += "\(secondCount / 60 % 60)M"
            }
            if secondCount % 60 > 0 {
                text += "\(secondCount % 60)S"
            }
        }
        return text
    }
}
