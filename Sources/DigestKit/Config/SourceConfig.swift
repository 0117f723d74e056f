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
        /// A JSON document (an API's answer) mapped to items by dotted paths.
        case json
        /// An HTML page mapped to items by XPath, or read for its schema.org JSON-LD.
        case html
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
    /// Feed element names to read funding fields from, such as `deadline: "x:deadline"` (RSS, Atom, JSON Feed);
    /// for JSON and HTML sources the definitions as written (compiled in `mapping`).
    public var fields: [String: String]
    /// How a JSON or HTML source becomes items; nil for the other formats.
    public var mapping: SourceMapping?
    /// How an HTTP(S) source is asked (method, headers, body); nil: a plain GET.
    public var request: SourceRequest?
    /// How a paged API is walked; nil: one request.
    public var paging: SourcePaging?
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
        case maxOccurrencesPerEvent, items, `where`, request, paging, follow
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
        fields = [:]
        if format != .json && format != .html {
            fields = try container.decodeIfPresent([String: String].self, forKey: .fields) ?? [:]
        }
        deadlinePhrases = try container.decodeList(.deadlinePhrases)
        timeoutSeconds = try container.decodeIfPresent(Int.self, forKey: .timeoutSeconds) ?? 30
        maxBytes = try container.decodeIfPresent(Int.self, forKey: .maxBytes) ?? 20 * 1024 * 1024
        maxOccurrencesPerEvent = try container.decodeIfPresent(Int.self, forKey: .maxOccurrencesPerEvent) ?? 5000
        request = try container.decodeIfPresent(SourceRequest.self, forKey: .request)
        paging = try container.decodeIfPresent(SourcePaging.self, forKey: .paging)
        mapping = try Self.decodeMapping(container, format: format)
        try SourceURLTemplate.validate(url, paging: paging, container: container, key: .url)
        for (text, path) in request?.templatedTexts ?? [] {
            if let problem = EnvironmentReference.syntaxProblem(in: text) {
                throw DecodingError.dataCorrupted(
                    .init(
                        codingPath: container.codingPath + [CodingKeys.request] + path, debugDescription: problem))
            }
        }
    }

    /// Every `${NAME}` the source's URL and request name, with the key path (below the source) where each stands.
    var environmentReferences: [(name: String, codingPath: [AnyCodingKey])] {
        var found = EnvironmentReference.names(in: url).map { ($0, [AnyCodingKey(stringValue: "url")]) }
        for (text, path) in request?.templatedTexts ?? [] {
            found += EnvironmentReference.names(in: text).map { ($0, [AnyCodingKey(stringValue: "request")] + path) }
        }
        return found
    }

    /// The mapping of a JSON or HTML source; for the other formats, an error at any key only they take.
    private static func decodeMapping(
        _ container: KeyedDecodingContainer<CodingKeys>, format: Format?
    ) throws -> SourceMapping? {
        let language: SourceMapping.Language
        switch format {
        case .json: language = .json
        case .html: language = .xpath
        default:
            for key in [CodingKeys.items, .where, .follow] where container.contains(key) {
                throw DecodingError.dataCorruptedError(
                    forKey: key, in: container,
                    debugDescription: "'\(key.stringValue)' is read only by sources with format: json or format: html."
                )
            }
            return nil
        }
        var items: MappingExpression?
        if let text = try container.decodeIfPresent(String.self, forKey: .items),
            !text.trimmingCharacters(in: .whitespaces).isEmpty
        {
            switch MappingExpression.compile(text, as: language) {
            case .success(let expression): items = expression
            case .failure(let error):
                throw DecodingError.dataCorruptedError(forKey: .items, in: container, debugDescription: error.message)
            }
        }
        let filters = try SourceMapping.compileFilters(
            try container.decodeList(.where), in: container, key: CodingKeys.where, language: language)
        let fields = try SourceMapping.decodeFields(container, CodingKeys.fields, language: language)
        let follow = try container.decodeIfPresent(SourceFollow.self, forKey: .follow)
        if format == .html, items == nil, !fields.isEmpty {
            throw DecodingError.dataCorruptedError(
                forKey: .fields, in: container,
                debugDescription: "fields need items: an XPath that selects each item on the page "
                    + "(without items the page's JSON-LD is read)."
            )
        }
        if format == .json, fields.first(where: { $0.field == .title }) == nil {
            throw DecodingError.keyNotFound(
                AnyCodingKey(stringValue: "title"),
                .init(codingPath: container.codingPath + [CodingKeys.fields], debugDescription: "")
            )
        }
        return SourceMapping(language: language, items: items, filters: filters, fields: fields, follow: follow)
    }
}
