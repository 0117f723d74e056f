import Foundation

/// The `newsletter:` section of `digest.yaml`: who sends the digest, in which language and zone, and how far ahead
/// it looks.
public struct NewsletterConfig: Sendable, Decodable {
    /// The newsletter's name, shown in the subject line's context, the header and the footer.
    public var title: String
    /// The From header, `Name <address>`.
    public var from: String
    /// Reply-To, when replies should go elsewhere than From.
    public var replyTo: String?
    /// The envelope sender (bounce address); From's address when absent.
    public var bounceAddress: String?
    /// The language for subscribers who set none: `sv` or `en`.
    public var language: Language
    /// The IANA time zone every date is shown in.
    public var timeZone: TimeZone
    /// Events are listed from now until now plus this span.
    public var eventsAhead: TimeSpan
    /// Funding calls closing within this span are flagged, and sent once more as a reminder.
    public var deadlinesAhead: TimeSpan
    /// The public base URL of `digest serve`, for unsubscribe and preference links.
    public var baseURL: URL?
    /// The RFC 2919 list identifier, such as `veckodigest.example.se`; derived from From's domain when absent.
    public var listID: String?
    /// The mailto address that unsubscribes by mail; `unsubscribe@` From's domain when absent.
    public var unsubscribeMailto: String?
    /// The postal address and contact line printed in every footer.
    public var postalAddress: String?
    /// Who sends the digest and why, for the footer.
    public var senderDescription: String?
    /// The domain that ends every Message-ID; From's domain when absent.
    public var messageIDDomain: String?
    /// Whether an unchanged event a reader was sent before is listed again (`repeatEvents`).
    public var repeatEvents: RepeatEvents = .always
    /// Whether the calls in a digest go into its calendar attachment as all-day deadline events with an alarm a
    /// week before (`deadlineReminders`).
    public var deadlineReminders = false

    enum CodingKeys: String, CodingKey, CaseIterable {
        case title, from, replyTo, bounceAddress, language, timeZone, eventsAhead, deadlinesAhead, baseURL, listID
        case unsubscribeMailto, postalAddress, senderDescription, messageIDDomain, repeatEvents
        case deadlineReminders
    }

    /// Decodes the section, rejecting unknown keys and checking every value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
        title = try container.decode(String.self, forKey: .title)
        from = try container.decode(String.self, forKey: .from)
        replyTo = try container.decodeIfPresent(String.self, forKey: .replyTo)
        bounceAddress = try container.decodeIfPresent(String.self, forKey: .bounceAddress)
        let code = try container.decodeChoice(.language, allowed: Language.allCases.map(\.rawValue)) ?? "sv"
        language = Language(rawValue: code) ?? .sv  // decodeChoice allowed only the languages
        let zoneName = try container.decodeIfPresent(String.self, forKey: .timeZone) ?? "Europe/Stockholm"
        guard let zone = TimeZone(identifier: zoneName) else {
            throw DecodingError.dataCorruptedError(
                forKey: .timeZone,
                in: container,
                debugDescription: "unknown time zone '\(zoneName)'; use an IANA name such as Europe/Stockholm."
            )
        }
        timeZone = zone
        eventsAhead = try container.decodeIfPresent(TimeSpan.self, forKey: .eventsAhead) ?? TimeSpan(28, .days)
        deadlinesAhead = try container.decodeIfPresent(TimeSpan.self, forKey: .deadlinesAhead) ?? TimeSpan(14, .days)
        if let base = try container.decodeIfPresent(String.self, forKey: .baseURL) {
            guard let url = URL(string: base), url.scheme == "https" || url.scheme == "http", url.host != nil else {
                throw DecodingError.dataCorruptedError(
                    forKey: .baseURL,
                    in: container,
                    debugDescription: "'\(base)' is not an http(s) URL such as https://digest.example.se."
                )
            }
            baseURL = url
        }
        listID = try container.decodeIfPresent(String.self, forKey: .listID)
        unsubscribeMailto = try container.decodeIfPresent(String.self, forKey: .unsubscribeMailto)
        postalAddress = try container.decodeIfPresent(String.self, forKey: .postalAddress)
        senderDescription = try container.decodeIfPresent(String.self, forKey: .senderDescription)
        messageIDDomain = try container.decodeIfPresent(String.self, forKey: .messageIDDomain)
        deadlineReminders = try container.decodeIfPresent(Bool.self, forKey: .deadlineReminders) ?? false
        if let repeats = try container.decodeChoice(.repeatEvents, allowed: RepeatEvents.allCases.map(\.rawValue)) {
            repeatEvents = RepeatEvents(rawValue: repeats) ?? .always  // decodeChoice allowed only these
        }
    }
}

/// Whether an event a reader was sent before, and that has not changed since, is listed again.
public enum RepeatEvents: String, Sendable, CaseIterable {
    /// In every issue until it takes place (marked "Nytt" only the first time).
    case always
    /// Only in the first issue that lists it (and again if it changes).
    case once
    /// In the first issue, and again in the last issue before it, when it starts within seven days.
    case untilWeekBefore
}

/// The languages a digest can be written in.
public enum Language: String, Sendable, CaseIterable, Codable {
    /// Swedish, the default.
    case sv
    /// English.
    case en
}
