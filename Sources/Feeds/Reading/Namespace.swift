/// Namespace URIs the feed reader recognises.
enum Namespace {
    static let rss10 = "http://purl.org/rss/1.0/"
    static let rss090 = "http://my.netscape.com/rdf/simple/0.9/"
    static let rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    static let content = "http://purl.org/rss/1.0/modules/content/"
    static let dublinCore = "http://purl.org/dc/elements/1.1/"
    static let dublinCoreTerms = "http://purl.org/dc/terms/"
    static let atom = "http://www.w3.org/2005/Atom"
    static let atom03 = "http://purl.org/atom/ns#"
    static let event = "http://purl.org/rss/1.0/modules/event/"
    static let xhtml = "http://www.w3.org/1999/xhtml"
    static let itunes = "http://www.itunes.com/dtds/podcast-1.0.dtd"
    static let media = "http://search.yahoo.com/mrss/"
    /// The namespaces UserLand and Harvard once gave RSS 2.0's own elements (`<rss xmlns="…/rss2">`).
    static let rss2Namespaces: Set<String> = [
        "http://backend.userland.com/rss2", "http://backend.userland.com/rss", "http://blogs.law.harvard.edu/tech/rss",
    ]

    /// Whether `uri` is the namespace of plain RSS elements (none, RSS 1.0, RSS 0.90 or one of `rss2Namespaces`).
    static func isRSSCore(_ uri: String) -> Bool {
        uri.isEmpty || uri == rss10 || uri == rss090 || rss2Namespaces.contains(uri)
    }

    /// Whether `uri` is an Atom namespace (1.0 or the obsolete 0.3).
    static func isAtom(_ uri: String) -> Bool { uri == atom || uri == atom03 }
}
