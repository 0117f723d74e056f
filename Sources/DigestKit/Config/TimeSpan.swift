import Foundation

/// A span of calendar time written in config as a number and a unit: `36h`, `28d`, `2w`.
///
/// Days and weeks are calendar days in the newsletter's time zone, so a span keeps its wall-clock length across
/// daylight-saving changes.
public struct TimeSpan: Sendable, Hashable, Decodable, CustomStringConvertible {
    /// The unit a span is counted in.
    public enum Unit: String, Sendable {
        /// Hours.
        case hours = "h"
        /// Calendar days.
        case days = "d"
        /// Calendar weeks of seven days.
        case weeks = "w"
    }

    /// How many units.
    public var count: Int
    /// Which unit.
    public var unit: Unit

    /// A span of `count` units.
    public init(_ count: Int, _ unit: Unit) {
        self.count = count
        self.unit = unit
    }

    /// Parses `28d`, `2w`, `36h`; nil for anything else.
    public init?(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let last = trimmed.last, let unit = Unit(rawValue: String(last)),
            let count = Int(trimmed.dropLast()), count >= 0
        else { return nil }
        self.init(count, unit)
    }

    /// Decodes from the written form, with a message that shows the expected form.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let span = TimeSpan(parsing: text) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "'\(text)' is not a time span; write a number and a unit, such as 36h, 28d or 2w."
            )
        }
        self = span
    }

    /// The instant this span after `date`, counted in `calendar`'s time zone.
    public func after(_ date: Date, in calendar: Calendar) -> Date {
        switch unit {
        case .hours: return date.addingTimeInterval(TimeInterval(count) * 3600)
        case .days: return calendar.date(byAdding: .day, value: count, to: date) ?? date
        case .weeks: return calendar.date(byAdding: .day, value: 7 * count, to: date) ?? date
        }
    }

    /// The written form, such as `28d`.
    public var description: String { "\(count)\(unit.rawValue)" }
}
