import Curl
import Foundation

/// `sources[].request`: how an HTTP(S) source is asked: the method, extra headers and a body. Values may name
/// environment variables as `${NAME}`, read when the source is fetched and never logged or stored.
///
/// A `file:` or local source ignores it.
public struct SourceRequest: Sendable, Decodable, Hashable {
    /// What the request sends as its body.
    public enum Body: Sendable, Hashable {
        /// `form: {k: v}`: application/x-www-form-urlencoded, fields in the order written.
        case form([NamedValue])
        /// `multipart: {name: {type, content, filename}}`: multipart/form-data, parts in the order written.
        case multipart([Part])
        /// `body: "text"`: sent as it is; its Content-Type comes from `headers`.
        case text(String)
    }

    /// A name and a value, in the order the config wrote them.
    public struct NamedValue: Sendable, Hashable {
        /// The name.
        public var name: String
        /// The value as written (it may hold `${NAME}`).
        public var value: String
    }

    /// One part of a multipart body.
    public struct Part: Sendable, Hashable, Decodable {
        /// The part's name (the key it was written under).
        public var name: String
        /// Its Content-Type, if given.
        public var type: String?
        /// Its content as written (it may hold `${NAME}`).
        public var content: String
        /// A file name, if the service wants one.
        public var filename: String?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case type, content, filename
        }

        /// Decodes `{type, content, filename}`; the name is set by the enclosing mapping.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
            name = decoder.codingPath.last?.stringValue ?? ""
            type = try container.decodeIfPresent(String.self, forKey: .type)
            content = try container.decode(String.self, forKey: .content)
            filename = try container.decodeIfPresent(String.self, forKey: .filename)
        }
    }

    /// GET (the default) or POST.
    public var method: HTTPMethod
    /// Extra headers, in the order written.
    public var headers: [NamedValue]
    /// The body, for POST.
    public var body: Body?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case method, headers, form, multipart, body
    }

    /// Decodes the `request:` mapping, rejecting unknown keys, a body on GET and more than one kind of body.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
        let methodName = try container.decodeChoice(.method, allowed: HTTPMethod.allCases.map(\.rawValue))
        method = methodName.flatMap(HTTPMethod.init(rawValue:)) ?? .get
        headers = try Self.orderedPairs(container, .headers)
        for header in headers {
            let name = header.name
            let isToken =
                !name.isEmpty
                && name.unicodeScalars.allSatisfy { scalar in
                    scalar.isASCII
                        && (CharacterSet.alphanumerics.contains(scalar)
                            || "!#$%&'*+-.^_`|~".unicodeScalars.contains(scalar))
                }
            guard isToken else {
                throw DecodingError.dataCorrupted(
                    .init(
                        codingPath: container.codingPath + [CodingKeys.headers, AnyCodingKey(stringValue: name)],
                        debugDescription: "'\(name)' is not a header name (letters, digits and - only)."
                    )
                )
            }
            if header.value.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) {
                throw DecodingError.dataCorrupted(
                    .init(
                        codingPath: container.codingPath + [CodingKeys.headers, AnyCodingKey(stringValue: name)],
                        debugDescription: "the value of header '\(name)' holds a line break."
                    )
                )
            }
        }
        var bodies: [(CodingKeys, Body)] = []
        if container.contains(.form) { bodies.append((.form, .form(try Self.orderedPairs(container, .form)))) }
        if container.contains(.multipart) {
            let parts = try container.nestedContainer(keyedBy: AnyCodingKey.self, forKey: .multipart)
            var decoded: [Part] = []
            for key in parts.allKeys { decoded.append(try parts.decode(Part.self, forKey: key)) }
            bodies.append((.multipart, .multipart(decoded)))
        }
        if let text = try container.decodeIfPresent(String.self, forKey: .body) { bodies.append((.body, .text(text))) }
        guard bodies.count <= 1 else {
            throw DecodingError.dataCorruptedError(
                forKey: bodies[1].0, in: container,
                debugDescription: "give one body: form, multipart or body, not several.")
        }
        body = bodies.first?.1
        if let (key, _) = bodies.first, method == .get {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: container, debugDescription: "a GET request sends no body; add method: POST.")
        }
    }

    private static func orderedPairs(
        _ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys
    ) throws -> [NamedValue] {
        guard container.contains(key) else { return [] }
        let nested = try container.nestedContainer(keyedBy: AnyCodingKey.self, forKey: key)
        var pairs: [NamedValue] = []
        for name in nested.allKeys {
            let value: String
            if let text = try? nested.decode(String.self, forKey: name) {
                value = text
            } else if let number = try? nested.decode(Int.self, forKey: name) {
                value = String(number)
            } else {
                value = try nested.decode(Bool.self, forKey: name) ? "true" : "false"
            }
            pairs.append(NamedValue(name: name.stringValue, value: value))
        }
        return pairs
    }

    /// Every text of the request that may name environment variables, with where it stands.
    var templatedTexts: [(text: String, codingPath: [AnyCodingKey])] {
        var texts = headers.map {
            ($0.value, [AnyCodingKey(stringValue: "headers"), AnyCodingKey(stringValue: $0.name)])
        }
        switch body {
        case .form(let fields):
            texts += fields.map { ($0.value, [AnyCodingKey(stringValue: "form"), AnyCodingKey(stringValue: $0.name)]) }
        case .multipart(let parts):
            texts += parts.map {
                (
                    $0.content,
                    [
                        AnyCodingKey(stringValue: "multipart"), AnyCodingKey(stringValue: $0.name),
                        AnyCodingKey(stringValue: "content"),
                    ]
                )
            }
        case .text(let text):
            texts.append((text, [AnyCodingKey(stringValue: "body")]))
        case nil:
            break
        }
        return texts
    }
}

/// `sources[].paging`: how a paged API is walked: `param` takes `start`, `start + step`, … until a page gives no
/// items or `maxPages` pages were read. The parameter is set in the URL's query, or replaces `{page}` in the URL.
public struct SourcePaging: Sendable, Decodable, Hashable {
    /// The query parameter that selects a page (`pageNumber`, `offset`).
    public var param: String
    /// The first page's value.
    public var start: Int
    /// What each next page adds.
    public var step: Int
    /// The most pages read in one run.
    public var maxPages: Int

    enum CodingKeys: String, CodingKey, CaseIterable {
        case param, start, step, maxPages
    }

    /// Decodes the `paging:` mapping; `start` defaults to 1, `step` to 1, `maxPages` to 10.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
        param = try container.decode(String.self, forKey: .param)
        start = try container.decodeIfPresent(Int.self, forKey: .start) ?? 1
        step = try container.decodeIfPresent(Int.self, forKey: .step) ?? 1
        maxPages = try container.decodeIfPresent(Int.self, forKey: .maxPages) ?? 10
        guard step > 0 else {
            throw DecodingError.dataCorruptedError(
                forKey: .step, in: container, debugDescription: "step must be 1 or more.")
        }
        guard (1...1000).contains(maxPages) else {
            throw DecodingError.dataCorruptedError(
                forKey: .maxPages, in: container, debugDescription: "maxPages must be between 1 and 1000.")
        }
    }

    /// The parameter's value for the page at `index` (0 for the first).
    public func value(at index: Int) -> Int { start + index * step }
}
