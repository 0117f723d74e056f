/// The syndication formats `FeedParser` reads.
public enum FeedFormat: String, Sendable, CaseIterable {
    /// RSS 0.91, 0.92 and 2.0 (`<rss>` root), including the `content:`, `dc:` and `atom:` namespaces.
    case rss
    /// RSS 0.90 and 1.0 (`<rdf:RDF>` root), including the `ev:` event module.
    case rdf
    /// Atom 1.0 (RFC 4287, `<feed>` root).
    case atom
    /// JSON Feed 1.0 and 1.1.
    case jsonFeed = "jsonfeed"
}
