import DigestSupport
import Feeds
import Foundation

/// One item as a JSON or HTML source gave it, before its values are read: the texts each field's definition
/// matched, in order.
struct RawEntry: Sendable {
    /// The item's 1-based position in the source, across pages.
    var number: Int
    /// The texts each field matched, from the list.
    var values: [MappedField: [String]] = [:]
    /// The texts each field matched on the item's own page (`follow`).
    var detailValues: [MappedField: [String]] = [:]
    /// Where each field's value came from, when it was not a definition (`JSON-LD startDate`, `main text`).
    var origins: [MappedField: String] = [:]
    /// The URL relative links of this item resolve against.
    var baseURL: URL?
    /// Whether the source marked the event cancelled (JSON-LD `eventStatus`).
    var cancelled = false
    /// Whether the source marked the event online.
    var online = false

    /// The values of `field`: the list's, or else the item page's.
    func texts(_ field: MappedField) -> [String] {
        let listed = values[field] ?? []
        return listed.isEmpty ? detailValues[field] ?? [] : listed
    }

    /// Whether the list gave a non-empty value for `field`.
    func has(_ field: MappedField) -> Bool {
        !texts(field).allSatisfy { $0.trimmedWhitespace.isEmpty }
    }

    /// A digest of what the list said of this item, to notice a changed entry.
    var listDigest: String {
        let text = values.keys.sorted().map { "\($0.rawValue)=\(values[$0]!.joined(separator: "\u{1F}"))" }
            .joined(separator: "\u{1E}")
        return StableHash.hex(text)
    }
}
