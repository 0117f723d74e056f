import Foundation

/// Everything digest keeps about one address (GDPR Art. 15): the file entries that name it, the subscriber and
/// consent they say, and every row of the state — ledger, sent items, feedback, suppression. `digest subscribers
/// export` prints it; the preferences page offers it as "Ladda ner mina uppgifter".
public struct PersonalData: Sendable {
    /// The address asked about.
    public var email: String
    /// Where the address is written, as written.
    public var entries: [SubscriberFileEditor.WrittenEntry]
    /// The subscriber as the files say, when their file has no mistakes.
    public var subscriber: Subscriber?
    /// What the state holds; empty when there is no state file yet.
    public var stored: StoredPersonalData

    /// Gathers what `editor`'s folder and `state` (nil: no state file yet) hold about `email`, the subscriber as
    /// checked in `directory`.
    public static func gather(
        _ email: String, editor: SubscriberFileEditor, directory: SubscriberDirectory, state: StateStore?
    ) throws(PersonalDataError) -> PersonalData {
        let wanted = email.lowercased()
        let stored: StoredPersonalData
        do {
            stored = try state?.personalData(of: wanted) ?? StoredPersonalData()
        } catch {
            throw PersonalDataError(path: state?.path ?? "state", message: "cannot be read: \(error).")
        }
        return PersonalData(
            email: email,
            entries: editor.writtenEntries(of: email),
            subscriber: directory.subscribers.first { $0.email.lowercased() == wanted },
            stored: stored)
    }

    /// Whether anything at all is kept about the address.
    public var isEmpty: Bool {
        entries.isEmpty && stored.deliveries.isEmpty && stored.sentItems.isEmpty && stored.feedback.isEmpty
            && stored.suppression == nil
    }

    /// One JSON document, keys sorted, times in UTC RFC 3339.
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(Document(self))) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// The same as readable text, a section a heading.
    public var text: String {
        var lines = ["Uppgifter om \(email) / Data kept about \(email)", ""]
        lines.append("Filer / Files:")
        if entries.isEmpty { lines.append("  (inga / none)") }
        for entry in entries {
            lines.append("  \(entry.path):\(entry.line)")
            lines += entry.text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { "    " + $0 }
        }
        lines.append("")
        lines.append("Samtycke / Consent:")
        if let consent = subscriber?.consent {
            lines.append("  at: \(consent.atText)")
            lines.append("  how: \(consent.how.rawValue)")
            if let source = consent.source { lines.append("  source: \(source)") }
            if let version = consent.textVersion { lines.append("  textVersion: \(version)") }
            if let client = consent.client { lines.append("  client: \(client)") }
        } else {
            lines.append("  (inget registrerat / none recorded)")
        }
        lines.append("")
        lines.append("Utskick / Deliveries: \(stored.deliveries.count)")
        for delivery in stored.deliveries {
            lines.append(
                "  \(delivery.issue)  \(delivery.status)  \(Consent.format(delivery.updatedAt))  \(delivery.messageID)")
        }
        lines.append("Skickade poster / Items sent: \(stored.sentItems.count)")
        for item in stored.sentItems {
            lines.append("  \(item.issue)  \(item.itemID)\(item.reminded ? "  (reminded)" : "")")
        }
        lines.append("Återkoppling / Feedback: \(stored.feedback.count)")
        for event in stored.feedback {
            lines.append("  \(Consent.format(event.at))  \(event.kind)  \(event.detail)")
        }
        if let suppression = stored.suppression {
            lines.append(
                "Spärrad / Suppressed: \(suppression.reason.rawValue) since \(Consent.format(suppression.since))")
        } else {
            lines.append("Spärrad / Suppressed: nej / no")
        }
        return lines.joined(separator: "\n")
    }
}

/// Why what is kept about an address could not be gathered or erased; nothing was changed then, unless it says so.
public struct PersonalDataError: Error, CustomStringConvertible, Sendable {
    /// The file concerned.
    public var path: String
    /// What went wrong and what to do.
    public var message: String

    /// An error about `path`.
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    /// `path: message`.
    public var description: String { "\(path): \(message)" }
}

/// The JSON shape of ``PersonalData``.
private struct Document: Encodable {
    struct File: Encodable {
        var path: String
        var line: Int
        var text: String
    }
    struct Interests: Encodable {
        var topics, regions, organizers, kinds, keywords: [String]
    }
    struct Exclusions: Encodable {
        var topics, organizers, keywords: [String]
    }
    struct Person: Encodable {
        var email: String
        var name: String?
        var language: String?
        var interests: Interests
        var exclude: Exclusions
        var paused: Bool
        var sendEmpty: Bool?
        var file: String
    }
    struct ConsentRecord: Encodable {
        var at: String
        var how: String
        var source, textVersion, client: String?
    }
    struct Delivery: Encodable {
        var issue, messageID, status, detail, updatedAt: String
        var attempts: Int
    }
    struct SentItem: Encodable {
        var issue, itemID: String
        var reminded: Bool
    }
    struct Feedback: Encodable {
        var kind, detail, at: String
    }
    struct Suppression: Encodable {
        var reason, since: String
    }
    struct State: Encodable {
        var deliveries: [Delivery]
        var sentItems: [SentItem]
        var feedback: [Feedback]
        var suppression: Suppression?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(deliveries, forKey: .deliveries)
            try container.encode(sentItems, forKey: .sentItems)
            try container.encode(feedback, forKey: .feedback)
            try container.encode(suppression, forKey: .suppression)
        }
        enum CodingKeys: String, CodingKey { case deliveries, sentItems, feedback, suppression }
    }

    var email: String
    var files: [File]
    var subscriber: Person?
    var consent: ConsentRecord?
    var state: State

    init(_ data: PersonalData) {
        email = data.email
        files = data.entries.map { File(path: $0.path, line: $0.line, text: $0.text) }
        subscriber = data.subscriber.map { subscriber in
            Person(
                email: subscriber.email, name: subscriber.name, language: subscriber.language?.rawValue,
                interests: Interests(
                    topics: subscriber.interests.topics, regions: subscriber.interests.regions,
                    organizers: subscriber.interests.organizers,
                    kinds: subscriber.interests.kinds.map(\.rawValue), keywords: subscriber.interests.keywords),
                exclude: Exclusions(
                    topics: subscriber.exclude.topics, organizers: subscriber.exclude.organizers,
                    keywords: subscriber.exclude.keywords),
                paused: subscriber.paused, sendEmpty: subscriber.sendEmpty, file: subscriber.file)
        }
        consent = data.subscriber?.consent.map { consent in
            ConsentRecord(
                at: consent.atText, how: consent.how.rawValue, source: consent.source,
                textVersion: consent.textVersion, client: consent.client)
        }
        let stored = data.stored
        state = State(
            deliveries: stored.deliveries.map {
                Delivery(
                    issue: $0.issue, messageID: $0.messageID, status: $0.status, detail: $0.detail,
                    updatedAt: Consent.format($0.updatedAt), attempts: $0.attempts)
            },
            sentItems: stored.sentItems.map { SentItem(issue: $0.issue, itemID: $0.itemID, reminded: $0.reminded) },
            feedback: stored.feedback.map { Feedback(kind: $0.kind, detail: $0.detail, at: Consent.format($0.at)) },
            suppression: stored.suppression.map {
                Suppression(reason: $0.reason.rawValue, since: Consent.format($0.since))
            })
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(email, forKey: .email)
        try container.encode(files, forKey: .files)
        try container.encode(subscriber, forKey: .subscriber)
        try container.encode(consent, forKey: .consent)
        try container.encode(state, forKey: .state)
    }
    enum CodingKeys: String, CodingKey { case email, files, subscriber, consent, state }
}
