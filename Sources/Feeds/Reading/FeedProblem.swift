/// Something in a feed that was repaired or skipped; the rest of the feed is still usable.
public struct FeedProblem: Sendable, Equatable, CustomStringConvertible {
    /// The 1-based line in the (transcoded) document where the problem was noticed, when known.
    public var line: Int?
    /// What was wrong and what the parser did about it.
    public var message: String

    /// Creates a problem report.
    public init(line: Int? = nil, message: String) {
        self.line = line
        self.message = message
    }

    /// `line 12: <message>`, or the message alone when the line is unknown.
    public var description: String {
        if let line { return "line \(line): \(message)" }
        return message
    }
}
