import Foundation

/// One entry of a feed (an RSS `item`, an Atom `entry`, a JSON Feed item), normalised.
public struct FeedItem: Sendable, Equatable {
    /// The item's own identifier as given: RSS `guid`, RSS 1.0 `rdf:about`, Atom `id` or JSON Feed `id`.
    public var id: String?
    /// The title as plain text: markup stripped, entities (also double-escaped ones) resolved, whitespace collapsed.
    public var title: String
    /// The item's web page, resolved against `xml:base` and the feed URL to an absolute URL.
    public var link: URL?
    /// The short form: RSS `description`, Atom `summary`, JSON Feed `summary`, as raw (unsanitised) HTML.
    public var summaryHTML: String?
    /// The full form: `content:encoded`, Atom `content` or JSON Feed `content_html`, as raw (unsanitised) HTML.
    public var contentHTML: String?
    /// The publication time: `pubDate`, `dc:date`, Atom `published` or JSON Feed `date_published`; nil when absent
    /// or unreadable. It is never a deadline.
    public var published: Date?
    /// The last-modified time: Atom `updated`, `dcterms:modified` or JSON Feed `date_modified`.
    public var updated: Date?
    /// Category names or tags in document order (`category`, `dc:subject`, Atom `category@term`, JSON `tags`).
    public var categories: [String]
    /// Author names (`author`, `dc:creator`, Atom `author/name`, JSON `authors[].name`).
    public var authors: [String]
    /// The RSS 1.0 event module's fields, when the item carries any.
    public var event: FeedEventInfo?
    /// Every simple child element's trimmed text keyed by its qualified name as written (`"dc:date"`, `"deadline"`,
    /// `"x:budget"`); the first occurrence wins. For JSON Feed, the item's string, number and boolean members.
    public var elements: [String: String]
    /// The base URL in effect for this item (its `xml:base`, else the feed URL), to resolve links in its HTML.
    public var baseURL: URL?

    /// Creates an item; every field but the title is optional.
    public init(
        id: String? = nil, title: String = "", link: URL? = nil, summaryHTML: String? = nil,
        contentHTML: String? = nil, published: Date? = nil, updated: Date? = nil, categories: [String] = [],
        authors: [String] = [], event: FeedEventInfo? = nil, elements: [String: String] = [:], baseURL: URL? = nil
    ) {
        self.id = id
        self.title = title
        self.link = link
        self.summaryHTML = summaryHTML
        self.contentHTML = contentHTML
        self.published = published
        self.updated = updated
        self.categories = categories
        self.authors = authors
        self.event = event
        self.elements = elements
        self.baseURL = baseURL
    }
}
