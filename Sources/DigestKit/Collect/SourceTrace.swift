import Foundation

/// One request a JSON or HTML source made, for `digest sources test` and the source's report.
public struct PageFetch: Sendable, Hashable, Encodable {
    /// The method (`GET`, `POST`).
    public var method: String = "GET"
    /// The URL (or path) asked for, with `${NAME}` values left out.
    public var url: String
    /// The HTTP status (0 for a file, 304 when the cached copy was used).
    public var status: Int
    /// Bytes received.
    public var bytes: Int
    /// How long the request took.
    public var milliseconds: Int
    /// Whether it was an item's own page (`follow`).
    public var isDetail: Bool
}

/// What one mapped field of one item gave: the definition, the raw texts and the value read from them.
public struct FieldTrace: Sendable, Hashable, Encodable {
    /// The field.
    public var field: MappedField
    /// The definition as written, or where the value came from (`follow: //p[@class='status']`, `JSON-LD startDate`).
    public var definition: String
    /// The texts the definition matched.
    public var raw: [String]
    /// The value as the item holds it (dates in RFC 3339, URLs resolved), or nil when nothing was read.
    public var parsed: String?
    /// Why the raw text gave no value, when it did not.
    public var warning: String?
}

/// What became of one entry of a source.
public struct ItemTrace: Sendable, Hashable, Encodable {
    /// Its 1-based position in the source.
    public var number: Int
    /// Its title, when it had one.
    public var title: String?
    /// Each mapped field, in `MappedField` order.
    public var fields: [FieldTrace]
    /// Why it was left out, or nil when it was kept.
    public var droppedBecause: String?
}

/// Everything a JSON or HTML source gave in a run, item by item, for `digest sources test`.
public struct SourceTrace: Sendable, Hashable, Encodable {
    /// Every request, in order.
    public var pages: [PageFetch] = []
    /// Every entry the source listed, in order.
    public var items: [ItemTrace] = []
    /// Fields defined for the source that matched nothing on any item.
    public var unmatchedFields: [MappedField] = []
    /// Entries `where` left out (not in `items`).
    public var filtered = 0
}

extension ContinuousClock.Instant {
    /// Whole milliseconds from this instant until now, for the times `digest sources test` shows.
    var millisecondsUntilNow: Int {
        let elapsed = duration(to: .now).components
        return Int(elapsed.seconds * 1000 + elapsed.attoseconds / 1_000_000_000_000_000)
    }
}
