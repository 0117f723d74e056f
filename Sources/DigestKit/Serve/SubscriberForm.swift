import Foundation
import MailMessage

/// What the signup form (`/subscribe`) and the preferences form (`/preferences/<token>`) hold, read from and written
/// back to the same field names: `email`, `name`, `language` (`sv`/`en`), the repeatable `topic`, `region`,
/// `organizer` and `kind`, `keywords` (comma-separated), and on the preferences form also `excludeTopic`,
/// `excludeOrganizer`, `excludeKeywords`, `sendEmpty` and `paused` (checkboxes of value `true`).
///
/// ``init(_:)`` keeps every value as typed, so a page with errors shows them again; ``check(taxonomy:organizers:)``
/// says what is wrong, or gives the interests as the subscriber file writes them.
public struct SubscriberForm: Sendable, Hashable {
    /// The address, trimmed.
    public var email = ""
    /// The name, trimmed; empty when none was given.
    public var name = ""
    /// The language chosen, as sent (`sv`, `en`, or anything a tampered form sends); empty when none.
    public var language = ""
    /// The topic ids ticked.
    public var topics: [String] = []
    /// The municipalities ticked.
    public var regions: [String] = []
    /// The organisers ticked.
    public var organizers: [String] = []
    /// The kinds ticked (`event`, `funding`).
    public var kinds: [String] = []
    /// The keywords field as typed.
    public var keywords = ""
    /// The topic ids never wanted.
    public var excludeTopics: [String] = []
    /// The organisers never wanted.
    public var excludeOrganizers: [String] = []
    /// The excluding words as typed.
    public var excludeKeywords = ""
    /// Whether to send a digest with nothing new.
    public var sendEmpty = false
    /// Whether the digest is paused.
    public var paused = false

    /// The most characters of a name.
    public static let maximumNameLength = 100
    /// The most characters of one keyword.
    public static let maximumKeywordLength = 60
    /// The most keywords of one field.
    public static let maximumKeywords = 20

    /// What is wrong with a form: which field and why, with the value concerned; the page words it in the reader's
    /// language (``message(_:)``).
    public struct Problem: Sendable, Hashable {
        /// Why.
        public enum Reason: String, Sendable, Hashable {
            /// No address was given.
            case emailMissing
            /// The address is not one.
            case emailInvalid
            /// The name is longer than ``SubscriberForm/maximumNameLength``.
            case nameTooLong
            /// The name holds a control character.
            case nameControl
            /// A keyword holds a control character.
            case keywordControl
            /// A keyword is longer than ``SubscriberForm/maximumKeywordLength``.
            case keywordTooLong
            /// More than ``SubscriberForm/maximumKeywords`` keywords.
            case tooManyKeywords
            /// A value that is none of the choices (a topic, region, organiser, kind or language the page did not
            /// offer).
            case unknownChoice
        }

        /// The form field the problem is in.
        public var field: String
        /// Why.
        public var reason: Reason
        /// The value concerned (a character code such as `U+000D` for a control character), or empty.
        public var value: String

        /// The sentence for the page, from `strings` (`error` + the reason's name, `{value}` and `{code}` filled).
        public func message(_ strings: Strings) -> String {
            let key = "error" + reason.rawValue.prefix(1).uppercased() + reason.rawValue.dropFirst()
            let text = Strings.filling(strings[key], "{value}", with: value)
            return Strings.filling(text, "{code}", with: value)
        }
    }

    /// An empty form.
    public init() {}

    /// The form as the fields of `body` say, every value kept as sent (trimmed).
    public init(_ body: FormBody) {
        func trimmed(_ name: String) -> String {
            (body[name] ?? "").trimmingCharacters(in: .whitespaces)
        }
        email = trimmed("email")
        name = trimmed("name")
        language = trimmed("language")
        topics = body.values("topic")
        regions = body.values("region")
        organizers = body.values("organizer")
        kinds = body.values("kind")
        keywords = body.values("keywords").joined(separator: ", ")
        excludeTopics = body.values("excludeTopic")
        excludeOrganizers = body.values("excludeOrganizer")
        excludeKeywords = body.values("excludeKeywords").joined(separator: ", ")
        sendEmpty = body["sendEmpty"] == "true"
        paused = body["paused"] == "true"
    }

    /// The form filled from `subscriber`'s file.
    public init(_ subscriber: Subscriber) {
        email = subscriber.email
        name = subscriber.name ?? ""
        language = subscriber.language?.rawValue ?? ""
        topics = subscriber.interests.topics
        regions = subscriber.interests.regions
        organizers = subscriber.interests.organizers
        kinds = subscriber.interests.kinds.map(\.rawValue)
        keywords = subscriber.interests.keywords.joined(separator: ", ")
        excludeTopics = subscriber.exclude.topics
        excludeOrganizers = subscriber.exclude.organizers
        excludeKeywords = subscriber.exclude.keywords.joined(separator: ", ")
        sendEmpty = subscriber.sendEmpty ?? false
        paused = subscriber.paused
    }

    /// The form as an `application/x-www-form-urlencoded` body that ``init(_:)`` reads back as the same form: how a
    /// pending signup keeps it until it is confirmed.
    public var encoded: String {
        var fields: [(String, String)] = [("email", email), ("name", name), ("language", language)]
        fields += topics.map { ("topic", $0) } + regions.map { ("region", $0) }
        fields += organizers.map { ("organizer", $0) } + kinds.map { ("kind", $0) }
        fields.append(("keywords", keywords))
        fields += excludeTopics.map { ("excludeTopic", $0) } + excludeOrganizers.map { ("excludeOrganizer", $0) }
        fields.append(("excludeKeywords", excludeKeywords))
        if sendEmpty { fields.append(("sendEmpty", "true")) }
        if paused { fields.append(("paused", "true")) }
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        func escape(_ text: String) -> String {
            text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
        }
        return fields.map { escape($0.0) + "=" + escape($0.1) }.joined(separator: "&")
    }

    /// The subscriber the form describes, or every problem it has, in the order of the form's fields.
    ///
    /// - Parameters:
    ///   - taxonomy: the topics offered.
    ///   - organizers: the organisers offered.
    ///   - requiresEmail: whether the address is checked (the signup form; the preferences form does not change it).
    public func check(taxonomy: Taxonomy, organizers offered: [String], requiresEmail: Bool = true)
        -> Result<Subscriber, ProblemList>
    {
        var problems: [Problem] = []
        if requiresEmail {
            if email.isEmpty {
                problems.append(Problem(field: "email", reason: .emailMissing, value: ""))
            } else if email.utf8.count > 254 || SubscriberChecker.controlCharacter(in: email) != nil
                || !email.contains("@") || (try? MailAddress(displayName: nil, address: email)) == nil
            {
                problems.append(Problem(field: "email", reason: .emailInvalid, value: Self.printable(email)))
            }
        }
        if let code = Self.controlCode(in: name) {
            problems.append(Problem(field: "name", reason: .nameControl, value: code))
        } else if name.count > Self.maximumNameLength {
            problems.append(Problem(field: "name", reason: .nameTooLong, value: ""))
        }
        var language: Language?
        if !self.language.isEmpty {
            language = Language(rawValue: self.language)
            if language == nil {
                problems.append(
                    Problem(field: "language", reason: .unknownChoice, value: Self.printable(self.language)))
            }
        }
        func choices(_ values: [String], _ field: String, _ known: (String) -> String?) -> [String] {
            var chosen: [String] = []
            for value in values {
                if let canonical = known(value) {
                    if !chosen.contains(canonical) { chosen.append(canonical) }
                } else {
                    problems.append(Problem(field: field, reason: .unknownChoice, value: Self.printable(value)))
                }
            }
            return chosen
        }
        let topicIDs = Set(taxonomy.topics.map(\.id))
        let topic = { (value: String) in topicIDs.contains(value) ? value : nil }
        let organizer = { (value: String) in offered.first { $0 == value } }
        var subscriber = Subscriber(email: email)
        subscriber.name = name.isEmpty ? nil : name
        subscriber.language = language
        subscriber.interests.topics = choices(topics, "topic", topic)
        subscriber.interests.regions = choices(regions, "region") { Regions.canonical($0) }
        subscriber.interests.organizers = choices(self.organizers, "organizer", organizer)
        subscriber.interests.kinds = choices(kinds, "kind") { ItemKind(rawValue: $0)?.rawValue }
            .compactMap(ItemKind.init(rawValue:))
        subscriber.interests.keywords = Self.words(keywords, "keywords", into: &problems)
        subscriber.exclude.topics = choices(excludeTopics, "excludeTopic", topic)
        subscriber.exclude.organizers = choices(excludeOrganizers, "excludeOrganizer", organizer)
        subscriber.exclude.keywords = Self.words(excludeKeywords, "excludeKeywords", into: &problems)
        subscriber.sendEmpty = sendEmpty ? true : nil
        subscriber.paused = paused
        return problems.isEmpty ? .success(subscriber) : .failure(ProblemList(problems: problems))
    }

    /// The comma-separated words of `text`, trimmed, empty ones dropped; problems for control characters, words too
    /// long and too many words.
    private static func words(_ text: String, _ field: String, into problems: inout [Problem]) -> [String] {
        let words = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        var kept: [String] = []
        for word in words {
            if let code = controlCode(in: word) {
                problems.append(Problem(field: field, reason: .keywordControl, value: code))
            } else if word.count > maximumKeywordLength {
                problems.append(Problem(field: field, reason: .keywordTooLong, value: String(word.prefix(60)) + "…"))
            } else if !kept.contains(word) {
                kept.append(word)
            }
        }
        if kept.count > maximumKeywords {
            problems.append(Problem(field: field, reason: .tooManyKeywords, value: ""))
        }
        return kept
    }

    /// The code of the first control character in `text` (`U+000D`), or nil.
    static func controlCode(in text: String) -> String? {
        guard
            let scalar = text.unicodeScalars.first(where: {
                $0.properties.generalCategory == .control || $0.value == 0x2028 || $0.value == 0x2029
            })
        else { return nil }
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// `text` shortened to 80 characters with every control character as its code, for quoting in a message.
    static func printable(_ text: String) -> String {
        let shown = text.unicodeScalars.map { scalar in
            scalar.properties.generalCategory == .control || scalar.value == 0x2028 || scalar.value == 0x2029
                ? controlCode(in: String(scalar)) ?? "" : String(scalar)
        }.joined()
        return shown.count > 80 ? String(shown.prefix(80)) + "…" : shown
    }
}

/// The problems of a form, in the order of its fields.
public struct ProblemList: Error, Sendable, Hashable {
    /// Every problem.
    public var problems: [SubscriberForm.Problem]
}
