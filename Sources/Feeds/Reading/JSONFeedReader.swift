import Foundation

/// Reads JSON Feed 1.0 and 1.1 (https://www.jsonfeed.org/version/1.1/) with `JSONDecoder`.
///
/// Items are decoded as loose JSON values so that one odd item (a numeric `id`, a missing field) neither fails the
/// feed nor is lost.
struct JSONFeedReader {
    let limits: FeedLimits
    let baseURL: URL?
    let timeZone: TimeZone

    func read(_ data: Data) throws(FeedError) -> Feed {
        let root: JSONValue
        do {
            root = try JSONValue.parse(data)
        } catch {
            throw FeedError(.malformed, message: error.description)
        }
        guard case .object(let object) = root else {
            throw FeedError(.notAFeed, message: "the JSON document is not an object, so not a JSON Feed")
        }
        let version = object["version"]?.string ?? ""
        guard version.contains("jsonfeed.org") || object["items"] != nil else {
            throw FeedError(.notAFeed, message: "the JSON object has neither a jsonfeed.org version nor items")
        }
        var problems: [FeedProblem] = []
        let feedURL = object["home_page_url"]?.string.flatMap { FeedURL.resolve($0, against: baseURL) }
        let base = object["feed_url"]?.string.flatMap { FeedURL.resolve($0, against: baseURL) } ?? baseURL
        var items: [FeedItem] = []
        for (index, value) in (object["items"]?.array ?? []).enumerated() {
            guard case .object(let fields) = value else {
                problems.append(FeedProblem(message: "item \(index + 1) is not a JSON object; skipped"))
                continue
            }
            guard items.count < limits.maximumItems else {
                problems.append(FeedProblem(message: "more than \(limits.maximumItems) items; the rest are ignored"))
                break
            }
            if let item = self.item(fields, number: index + 1, base: base, problems: &problems) {
                items.append(item)
            }
        }
        let title = object["title"]?.string.map(PlainText.title)
        return Feed(format: .jsonFeed, title: title, link: feedURL, items: items, problems: problems)
    }

    private func item(
        _ fields: [String: JSONValue], number: Int, base: URL?, problems: inout [FeedProblem]
    ) -> FeedItem? {
        var item = FeedItem(baseURL: base)
        item.id = fields["id"]?.scalarText
        item.title = fields["title"]?.string.map(PlainText.title) ?? ""
        item.link = (fields["url"]?.string ?? fields["external_url"]?.string).flatMap {
            FeedURL.resolve($0, against: base)
        }
        let contentHTML = fields["content_html"]?.string
        let contentText = fields["content_text"]?.string
        item.contentHTML =
            contentHTML ?? contentText.map { PlainText.escapeHTML($0).replacingOccurrences(of: "\n", with: "<br>\n") }
        item.summaryHTML = fields["summary"]?.string.map(PlainText.escapeHTML) ?? contentHTML
        for (key, field) in [("date_published", \FeedItem.published), ("date_modified", \FeedItem.updated)] {
            guard let text = fields[key]?.string else { continue }
            if let date = FeedDate.parse(text, timeZone: timeZone) {
                item[keyPath: field] = date
            } else {
                problems.append(
                    FeedProblem(message: "item \(number): unreadable \(key) \"\(text.prefix(60))\"; left empty"))
            }
        }
        item.categories = fields["tags"]?.array?.compactMap(\.string) ?? []
        var authors = fields["authors"]?.array ?? []
        if let author = fields["author"] { authors.append(author) }
        item.authors = authors.compactMap { $0.object?["name"]?.string }.filter { !$0.isEmpty }
        for (key, value) in fields {
            if let text = value.scalarText { item.elements[key] = text }
        }
        if item.id == nil && item.link == nil && item.title.isEmpty && item.contentHTML == nil {
            problems.append(FeedProblem(message: "item \(number) has no id, url, title or content; skipped"))
            return nil
        }
        return item
    }
}
