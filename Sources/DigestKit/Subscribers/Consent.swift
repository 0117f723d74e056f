import Foundation

/// A subscriber's record of consent (GDPR Art. 7(1): the controller must be able to show that the person agreed):
/// the `consent:` block of a subscriber file,
/// `consent: {at: <UTC RFC 3339>, how: web-form|import, source: …, textVersion: …, client: …}`.
public struct Consent: Sendable, Hashable {
    /// How the address came to be subscribed.
    public enum Method: String, Sendable, CaseIterable {
        /// The person confirmed a signup made on the web form (double opt-in).
        case webForm = "web-form"
        /// An editor imported the address from a list (`digest subscribers import`).
        case `import`
    }

    /// When consent was given (or the address imported), to the second.
    public var at: Date
    /// How.
    public var how: Method
    /// Where an imported list came from (`--consent-source`, such as `mässa 2026-11`).
    public var source: String?
    /// The version of the consent text shown on the web form (a hash of the sentence).
    public var textVersion: String?
    /// The client's address, hashed with the secret (never in clear).
    public var client: String?

    /// A consent record; `at` is kept to the whole second, as files write it.
    public init(at: Date, how: Method, source: String? = nil, textVersion: String? = nil, client: String? = nil) {
        self.at = Date(timeIntervalSince1970: at.timeIntervalSince1970.rounded(.down))
        self.how = how
        self.source = source
        self.textVersion = textVersion
        self.client = client
    }

    /// `at` as written in files: UTC RFC 3339 to the second, `2026-11-20T09:30:00Z`.
    public var atText: String { Self.format(at) }

    /// `date` as UTC RFC 3339 to the second.
    public static func format(_ date: Date) -> String {
        Date.ISO8601FormatStyle(timeZone: .gmt).format(
            Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down)))
    }

    /// Reads a UTC RFC 3339 time (`Z` or `+00:00`, optional fractional seconds); nil for anything else.
    public static func parse(_ text: String) -> Date? {
        guard text.hasSuffix("Z") || text.hasSuffix("+00:00") else { return nil }
        let plain = Date.ISO8601FormatStyle(timeZone: .gmt)
        if let date = try? plain.parse(text) { return date }
        return try? Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt).parse(text)
    }

    /// The block's lines, two spaces in, in the order of the shape (`at`, `how`, `source`, `textVersion`,
    /// `client`), without the `consent:` line.
    var yamlLines: [String] {
        var lines = ["at: " + SubscriberYAML.scalar(atText), "how: " + how.rawValue]
        if let source { lines.append("source: " + SubscriberYAML.scalar(source)) }
        if let textVersion { lines.append("textVersion: " + SubscriberYAML.scalar(textVersion)) }
        if let client { lines.append("client: " + SubscriberYAML.scalar(client)) }
        return lines
    }
}

/// The raw `consent:` block, decoded strictly: unknown keys, a time that is not UTC RFC 3339 and a method other than
/// `web-form` or `import` are errors.
struct ConsentEntry: Decodable {
    var consent: Consent

    enum CodingKeys: String, CodingKey, CaseIterable {
        case at, how, source, textVersion, client
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
        let text = try container.decode(String.self, forKey: .at)
        guard let at = Consent.parse(text) else {
            throw DecodingError.dataCorruptedError(
                forKey: .at, in: container,
                debugDescription: "'\(text)' is not a UTC time; write it as 2026-11-20T09:30:00Z.")
        }
        let how = try container.decodeChoice(.how, allowed: Consent.Method.allCases.map(\.rawValue))
        guard let method = how.flatMap(Consent.Method.init(rawValue:)) else {
            throw DecodingError.keyNotFound(
                CodingKeys.how,
                .init(codingPath: container.codingPath, debugDescription: "write how: web-form or how: import."))
        }
        consent = Consent(
            at: at, how: method,
            source: try container.decodeIfPresent(String.self, forKey: .source),
            textVersion: try container.decodeIfPresent(String.self, forKey: .textVersion),
            client: try container.decodeIfPresent(String.self, forKey: .client))
    }
}
