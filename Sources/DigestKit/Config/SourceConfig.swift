import Foundation

/// One entry of `sources:` in `digest.yaml`: where to read events or funding calls from, and what to add to
/// every item.
public struct SourceConfig: Sendable, Decodable {
    /// What a source holds.
    public enum Kind: String, Sendable, CaseIterable, Codable {
        /// Events (seminars, bootcamps, advice sessions).
        case event
        /// Funding calls with deadlines.
        case funding
    }

    /// The formats a source can be in.
    public enum Format: String, Sendable, CaseIterable, Codable {
        /// iCalendar (RFC 5545).
        case ical
        /// RSS 0.91–2.0 or RSS 1.0.
        case rss
        /// Atom 1.0.
        case atom
        /// JSON Feed 1.1.
        case jsonfeed
        /// A YAML file of funding calls kept by editors.
        case yaml
    }

    /// A unique name, used in reports and item ids.
    public var name: String
    /// Events or funding calls.
    public var kind: Kind
    /// Where to read it: a path (relative to the config file), `file://`, `http://` or `https://`.
    public var url: String
    /// The format; detected from the content when nil.
    public var format: Format?
    /// The organiser (or funder) given to every item that names none.
    public var organizer: String?
    /// Topics given to every item of this source.
    public var topics: [String]
    /// Regions (municipalities) given to every item of this source.
    public var regions: [String]
    /// Feed element names to read funding fields from, such as `deadline: "x:deadline"`.
    public var fields: [String: String]
    /// Extra phrases that introduce a deadline in this source's text, such as "Sista dag att ansöka".
    public var deadlinePhrases: [String]
    /// Total timeout for fetching, in seconds.
    public var timeoutSeconds: Int
    /// The largest body accepted, in bytes.
    public var maxBytes: Int
    /// The most occurrences one recurring event may expand to in a window (iCalendar sources).
    public var maxOccurrencesPerEvent: Int

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, kind, url, format, organizer, topics, regions, fields, deadlinePhrases, timeoutSeconds, maxBytes
        case maxOccurrencesPerEvent
    }

    /// Decodes one source, rejecting unknown keys.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
            throw DecodingError.dataCorruptedError(
                forKey: .name,
                in: container,
                debugDescription: "a source name may hold only letters, digits, '-' and '_'."
            )
        }
        let kindName = try container.decodeChoice(.kind, allowed: Kind.allCases.map(\.rawValue))
        guard let kindName, let kind = Kind(rawValue: kindName) else {
            throw DecodingError.keyNotFound(
                CodingKeys.kind, .init(codingPath: decoder.codingPath, debugDescription: ""))
        }
        self.kind = kind
        url = try container.decode(String.self, forKey: .url)
        format = try container.decodeChoice(.format, allowed: Format.allCases.map(\.rawValue)).flatMap(Format.init)
        organizer = try container.decodeIfPresent(String.self, forKey: .organizer)
        topics = try container.decodeList(.topics)
        regions = try container.decodeList(.regions)
        fields = try container.decodeIfPresent([String: String].self, forKey: .fields) ?? [:]
        deadlinePhrases = try container.decodeList(.deadlinePhrases)
        timeoutSeconds = try container.decodeIfPresent(Int.self, forKey: .timeoutSeconds) ?? 30
        maxBytes = try container.decodeIfPresent(Int.self, forKey: .maxBytes) ?? 20 * 1024 * 1024
        maxOccurrencesPerEvent = try container.decodeIfPresent(Int.self, forKey: .maxOccurrencesPerEvent) ?? 5000
    }
}
