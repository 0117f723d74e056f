/// A day of the week as RRULE writes it (`MO` … `SU`).
public enum Weekday: Int, Sendable, Hashable, CaseIterable {
    /// `MO`
    case monday = 0
    /// `TU`
    case tuesday
    /// `WE`
    case wednesday
    /// `TH`
    case thursday
    /// `FR`
    case friday
    /// `SA`
    case saturday
    /// `SU`
    case sunday

    /// Reads `MO` … `SU` (any case).
    init?(code: Substring) {
        switch code.uppercased() {
        case "MO": self = .monday
        case "TU": self = .tuesday
        case "WE": self = .wednesday
        case "TH": self = .thursday
        case "FR": self = .friday
        case "SA": self = .saturday
        case "SU": self = .sunday
        default: return nil
        }
    }
}

/// One BYDAY entry: a weekday with an optional ordinal (`MO`, `1MO`, `-1FR`).
public struct WeekdayNum: Sendable, Hashable {
    /// The ordinal within the month or year (`1`, `-1`, …), or 0 for every such weekday.
    public var ordinal: Int
    /// The weekday.
    public var weekday: Weekday

    /// Creates an entry; `ordinal` 0 means every `weekday`.
    public init(ordinal: Int = 0, weekday: Weekday) {
        self.ordinal = ordinal
        self.weekday = weekday
    }
}
