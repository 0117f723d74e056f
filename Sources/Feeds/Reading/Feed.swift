import Foundation

/// A parsed feed in the normalised model shared by all formats.
public struct Feed: Sendable, Equatable {
    /// The format the document turned out to be.
    public var format: FeedFormat
    /// The feed's title as plain text, if it has one.
    public var title: String?
    /// The feed's home page (its alternate link), resolved to an absolute URL.
    public var link: URL?
    /// The usable items in document order; items that could not be read are left out and reported in `problems`.
    public var items: [FeedItem]
    /// Everything that was repaired or skipped while reading the document.
    public var problems: [FeedProblem]

    /// Creates a feed from its parts.
    public init(
        format: FeedFormat, title: String? = nil, link: URL? = nil, items: [FeedItem] = [],
        problems: [FeedProblem] = []
    ) {
        self.format = format
        self.title = title
        self.link = link
        self.items = items
        self.problems = problems
    }
}
