/// Why a whole document could not be read as a feed.
public struct FeedError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kinds of failure; more may be added.
    public enum Kind: Sendable, Equatable {
        /// The document is larger than `FeedLimits.maximumBytes`.
        case tooLarge
        /// The document is empty or only whitespace.
        case empty
        /// The document is neither RSS, RDF, Atom nor JSON Feed.
        case notAFeed
        /// The XML or JSON is broken before any usable content.
        case malformed
    }

    /// The kind of failure, for code to branch on.
    public var kind: Kind
    /// The 1-based line where the parser gave up, when known.
    public var line: Int?
    /// A message a person can act on.
    public var message: String

    /// Creates an error.
    public init(_ kind: Kind, line: Int? = nil, message: String) {
        self.kind = kind
        self.line = line
        self.message = message
    }

    /// `line 3: <message>`, or the message alone when the line is unknown.
    public var description: String {
        if let line { return "line \(line): \(message)" }
        return message
    }
}
