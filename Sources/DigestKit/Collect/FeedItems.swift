import Deadlines
import DigestSupport
import Feeds
import Foundation

/// Turns a parsed RSS, Atom or JSON feed into items: funding calls with their deadlines, or events.
struct FeedItems: Sendable {
    let source: SourceConfig
    let timeZone: TimeZone

    /// The items of `bytes`, and the problems the parser reported.
    func items(from bytes: SourceBytes) throws(SourceFailure) -> (items: [Item], problems: [String]) {
        let format: FeedFormat? =
            switch source.format {
            case .rss: nil  // RSS 2.0 and RSS 1.0 are told apart by content
            case .atom: .atom
            case .jsonfeed: .jsonFeed
            default: nil
            }
        let finder = DeadlineFinder(timeZone: timeZone, extraDeadlinePhrases: source.deadlinePhrases)
        // Items are mapped while the parser reads on: the two together take little longer than the mapping alone.
        let mapping = OverlappedMap<FeedItem, Item> { item(for: $0, finder: finder) }
        let feed: Feed
        do {
            feed = try FeedParser(timeZone: timeZone).parse(
                bytes.data,
                format: format,
                baseURL: bytes.finalURL,
                contentTypeCharset: bytes.charset,
                onItems: mapping.submit
            )
        } catch {
            _ = mapping.finish([])  // no worker outlives the call, whatever was handed out before the failure
            throw SourceFailure(message: "not a usable feed: \(error)")
        }
        let items = mapping.finish(feed.items)
        return (items, feed.problems.map { "\(source.url): \($0)" })
    }

    private func item(for entry: FeedItem, finder: DeadlineFinder) -> Item {
        let stable = stableID(for: entry, source: source.name)
        let id: String
        if let link = entry.link {
            id = (source.kind == .funding ? "fu-" : "ev-") + StableHash.hex(Self.canonical(link))
        } else {
            id = (source.kind == .funding ? "fu-" : "ev-") + StableHash.hex(source.name + "|" + stable)
        }
        var item = Item(
            id: id, kind: source.kind == .funding ? .funding : .event, source: source.name, title: entry.title)
        item.uid = entry.id
        item.url = entry.link
        let html = entry.summaryHTML ?? entry.contentHTML ?? ""
        item.summary = HTMLText.plainText(html)
        item.categories = entry.categories
        item.published = entry.published
        item.updated = entry.updated
        item.organizer = source.organizer ?? entry.authors.first
        switch source.kind {
        case .funding:
            let named = source.fields["deadline"].flatMap { entry.elements[$0] }.map { HTMLText.plainText($0) }
            // The full text too: a short description often leaves out the deadline that content:encoded gives.
            let content = entry.summaryHTML == nil ? nil : entry.contentHTML.map { HTMLText.plainText($0) }
            let text = [named, entry.title, item.summary, content].compactMap { $0 }.joined(separator: "\n")
            let found = finder.find(inPlainText: text)
            item.deadline = found.deadline
            item.deadlineHasTime = found.deadlineHasTime
            if let deadline = found.deadline {
                item.laterDeadlines = Array(Set(found.allDeadlines.filter { $0 > deadline })).sorted()
            }
            item.rolling = found.deadline == nil && found.isRolling
            item.opens =
                source.fields["opens"].flatMap { entry.elements[$0] }.flatMap { finder.find(in: $0).deadline }
                ?? found.opens
            item.budget = source.fields["budget"].flatMap { entry.elements[$0] } ?? found.budgetPhrases.first
            if let funder = source.fields["funder"].flatMap({ entry.elements[$0] }) { item.organizer = funder }
        case .event:
            if let event = entry.event {
                item.start = event.start
                item.end = event.end
                item.location = event.location
                if let organizer = event.organizer { item.organizer = organizer }
            }
        }
        return item
    }

    /// A URL reduced to what identifies the page: lower-case scheme and host, no fragment, no trailing slash,
    /// https and http alike.
    static func canonical(_ url: URL) -> String {
        if let quick = quickCanonical(url.absoluteString) { return quick }
        return componentsCanonical(url)
    }

    /// ``canonical(_:)`` read from the text of the common absolute link, `http(s)://` and a host of lower-case
    /// letters, digits, dots and hyphens, with no fragment: such a link is canonical as it stands but for its scheme
    /// and trailing slashes (taking it apart and putting it together again was 2% of a large feed's collect). Nil
    /// for any other link.
    static func quickCanonical(_ text: String) -> String? {
        var text = text
        return text.withUTF8 { bytes -> String? in
            let schemeLength: Int
            if bytes.starts(with: "https://".utf8) {
                schemeLength = 8
            } else if bytes.starts(with: "http://".utf8) {
                schemeLength = 7
            } else {
                return nil
            }
            var index = schemeLength
            while index < bytes.count, bytes[index] != UInt8(ascii: "/"), bytes[index] != UInt8(ascii: "?") {
                let byte = bytes[index]
                let isHostByte =
                    (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte) || byte == UInt8(ascii: ".")
                    || byte == UInt8(ascii: "-")
                guard isHostByte else { return nil }
                index += 1
            }
            guard index > schemeLength, !bytes.contains(UInt8(ascii: "#")) else { return nil }
            var end = bytes.count
            while end > schemeLength, bytes[end - 1] == UInt8(ascii: "/") { end -= 1 }
            return "https://"
                + String(decoding: UnsafeBufferPointer(rebasing: bytes[schemeLength..<end]), as: UTF8.self)
        }
    }

    /// ``canonical(_:)`` through `URLComponents`, for any link.
    static func componentsCanonical(_ url: URL) -> String {
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: true) else { return url.absoluteString }
        components.scheme = "https"
        components.host = components.host?.lowercased()
        components.fragment = nil
        var text = components.string ?? url.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }
}
