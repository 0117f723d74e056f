import Foundation

/// A deadline as one source gave it, kept when sources disagree about the same call.
public struct SourcedDeadline: Sendable, Hashable {
    /// The source's name.
    public var source: String
    /// The deadline it gave.
    public var date: Date
    /// Whether it gave a time of day.
    public var hasTime: Bool

    /// `source`'s deadline `date`, with or without a time of day.
    public init(source: String, date: Date, hasTime: Bool) {
        self.source = source
        self.date = date
        self.hasTime = hasTime
    }
}
