import Foundation

/// Writes an Atom feed document (RFC 4287): a `feed` with its `id`, `title`, `updated`, `author` and links, and one
/// `entry` per item with its own `id`, `title`, `updated`, `link rel="alternate"` and `summary`. Text is escaped
/// for XML (and characters XML 1.0 does not allow are dropped), times are RFC 3339 in UTC, and the same input gives
/// the same bytes.
public struct AtomWriter: Sendable {
    /// One `atom:entry`.
    public struct Entry: Sendable, Hashable {
        /// `atom:id`: a permanent, absolute IRI (RFC 4287 section 4.2.6).
        public var id: String
        /// `atom:title`.
        public var title: String
        /// `atom:updated`.
        public var updated: Date
        /// `atom:published`, if known.
        public var published: Date?
        /// The entry's page (`link rel="alternate"`), absolute or relative to the feed's `xml:base`.
        public var link: String
        /// `atom:summary`, plain text.
        public var summary: String

        /// An entry.
        public init(id: String, title: String, updated: Date, published: Date? = nil, link: String, summary: String) {
            self.id = id
            self.title = title
            self.updated = updated
            self.published = published
            self.link = link
            self.summary = summary
        }
    }

    /// `atom:id` of the feed: a permanent, absolute IRI.
    public var id: String
    /// `atom:title`.
    public var title: String
    /// `atom:author`'s `name` (a feed whose entries name no author must name one, section 4.1.1).
    public var author: String
    /// The feed's own address (`link rel="self"`), if known.
    public var selfLink: String?
    /// The site the feed belongs to (`link rel="alternate"`), absolute or relative.
    public var siteLink: String?
    /// `xml:base`, against which relative links resolve, if any.
    public var base: String?
    /// `xml:lang`, such as `sv`.
    public var language: String?

    /// A feed writer.
    public init(
        id: String, title: String, author: String, selfLink: String? = nil, siteLink: String? = nil,
        base: String? = nil, language: String? = nil
    ) {
        self.id = id
        self.title = title
        self.author = author
        self.selfLink = selfLink
        self.siteLink = siteLink
        self.base = base
        self.language = language
    }

    /// The feed document of `entries` (in the order given); `updated` is the newest entry's, or `fallback` when
    /// there is none.
    public func document(_ entries: [Entry], fallback: Date) -> String {
        let updated = entries.map(\.updated).max() ?? fallback
        var attributes = " xmlns=\"http://www.w3.org/2005/Atom\""
        if let base { attributes += " xml:base=\"\(Self.escape(base))\"" }
        if let language { attributes += " xml:lang=\"\(Self.escape(language))\"" }
        var lines = ["<?xml version=\"1.0\" encoding=\"utf-8\"?>", "<feed\(attributes)>"]
        lines.append("  <id>\(Self.escape(id))</id>")
        lines.append("  <title>\(Self.escape(title))</title>")
        lines.append("  <updated>\(Self.time(updated))</updated>")
        lines.append("  <author><name>\(Self.escape(author))</name></author>")
        if let selfLink {
            lines.append(
                "  <link rel=\"self\" type=\"application/atom+xml\" href=\"\(Self.escape(selfLink))\"/>")
        }
        if let siteLink {
            lines.append("  <link rel=\"alternate\" type=\"text/html\" href=\"\(Self.escape(siteLink))\"/>")
        }
        for entry in entries {
            lines.append("  <entry>")
            lines.append("    <id>\(Self.escape(entry.id))</id>")
            lines.append("    <title>\(Self.escape(entry.title))</title>")
            lines.append("    <updated>\(Self.time(entry.updated))</updated>")
            if let published = entry.published { lines.append("    <published>\(Self.time(published))</published>") }
            lines.append("    <link rel=\"alternate\" type=\"text/html\" href=\"\(Self.escape(entry.link))\"/>")
            lines.append("    <summary type=\"text\">\(Self.escape(entry.summary))</summary>")
            lines.append("  </entry>")
        }
        lines.append("</feed>")
        return lines.joined(separator: "\n") + "\n"
    }

    /// `date` as RFC 3339 in UTC, to the second.
    static func time(_ date: Date) -> String {
        Date.ISO8601FormatStyle(timeZone: .gmt).format(
            Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down)))
    }

    /// `text` escaped for XML character data and attribute values; characters XML 1.0 does not allow are dropped.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                let value = scalar.value
                let allowed =
                    value == 0x9 || value == 0xA || value == 0xD || (0x20...0xD7FF).contains(value)
                    || (0xE000...0xFFFD).contains(value) || value >= 0x10000
                if allowed { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }
}
