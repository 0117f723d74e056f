import DigestSupport
import Foundation

/// A person who receives the digest, read from a file under `subscribers/`.
public struct Subscriber: Sendable, Hashable {
    /// What a subscriber follows.
    public struct Interests: Sendable, Hashable {
        /// Topic ids, such as `finansiering`.
        public var topics: [String] = []
        /// Municipalities, or `Dalarna` for all of them.
        public var regions: [String] = []
        /// Organisers and funders.
        public var organizers: [String] = []
        /// Event, funding or both (empty means both).
        public var kinds: [ItemKind] = []
        /// Words looked for in titles and summaries.
        public var keywords: [String] = []
    }

    /// What a subscriber never wants, whatever else matches.
    public struct Exclusions: Sendable, Hashable {
        /// Topic ids never wanted.
        public var topics: [String] = []
        /// Organisers never wanted.
        public var organizers: [String] = []
        /// Words that drop an item when they appear in its title or summary.
        public var keywords: [String] = []
    }

    /// The address the digest goes to.
    public var email: String
    /// The person's name, used in the greeting and the To header.
    public var name: String?
    /// The digest's language; the newsletter's default when nil.
    public var language: Language?
    /// What they follow.
    public var interests: Interests
    /// What they never want.
    public var exclude: Exclusions
    /// Paused subscribers get nothing.
    public var paused: Bool
    /// Whether to send a digest with nothing new in it; the newsletter's default (no) when nil.
    public var sendEmpty: Bool?
    /// How and when they agreed to get the digest (the file's `consent:` block), if recorded.
    public var consent: Consent?
    /// The file the subscriber was read from, as displayed.
    public var file: String

    /// A subscriber with an address and nothing else.
    public init(email: String, file: String = "") {
        self.email = email
        self.interests = Interests()
        self.exclude = Exclusions()
        self.paused = false
        self.file = file
    }

    /// How logs at info level and above name this subscriber: a short stable hash of the address, never the address
    /// itself (`s-` and 10 hex digits; the same in every run).
    public var logReference: String {
        Self.logReference(for: email)
    }

    /// The log reference of the subscriber at `email` (any case).
    public static func logReference(for email: String) -> String {
        "s-" + StableHash.hex("subscriber|" + email.lowercased(), length: 10)
    }

    /// A file-name-safe, stable slug of the address, for preview files.
    public var slug: String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789")
        let folded = Suggestion.fold(email)
        let mapped = folded.map { allowed.contains($0) ? $0 : "-" }
        return String(mapped).split(separator: "-").joined(separator: "-")
    }
}
