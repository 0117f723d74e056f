import Feeds
import Foundation

/// The entries of an HTML page: the nodes the `items` XPath selects, with each field's XPath evaluated relative to
/// its node; or, without `items`, the schema.org Events of the page's JSON-LD.
struct HTMLEntries {
    let mapping: SourceMapping
    /// The most nodes read as items from one page.
    static let maximumEntries = 10_000

    /// The entries of the page `data` fetched from `url`; `filtered` counts those `where` left out.
    func read(
        _ data: Data, url: URL?, charset: String?, firstNumber: Int
    ) throws(SourceFailure) -> (entries: [RawEntry], filtered: Int, problems: [String]) {
        let document = HTMLDocument(data: data, url: url, charset: charset)
        guard case .xpath(let itemsPath)? = mapping.items else {
            return Self.jsonLDEntries(document, firstNumber: firstNumber)
        }
        let result: XPathResult
        do throws(XPathError) {
            result = try document.evaluate(itemsPath, limit: Self.maximumEntries)
        } catch {
            throw SourceFailure(message: error.description)
        }
        var problems: [String] = []
        guard case .nodes(let nodes, let truncated) = result else {
            throw SourceFailure(message: "items '\(itemsPath.expression)' gives a value, not nodes of the page")
        }
        if truncated {
            problems.append(
                "items '\(itemsPath.expression)' matched more than \(Self.maximumEntries) nodes; "
                    + "only the first \(Self.maximumEntries) are read")
        }
        let base = document.baseURL
        let (entries, filtered) = MappedText.entries(
            of: nodes, mapping: mapping, baseURL: base, firstNumber: firstNumber
        ) { expression, node, field in
            // Conditions (no field) compare text content, as link and id fields do.
            Self.texts(expression, in: document, at: node, field: field ?? .id)
        }
        return (entries, filtered, problems)
    }

    /// The texts `expression` gives at `node`: elements as their HTML (cleaned later like feed HTML), attributes and
    /// text as they are; a link field takes an element's text.
    static func texts(
        _ expression: MappingExpression, in document: HTMLDocument, at node: HTMLDocument.Node?, field: MappedField
    ) -> [String] {
        guard case .xpath(let xpath) = expression,
            let result = try? document.evaluate(xpath, at: node, limit: 1000)
        else { return [] }
        if case .nodes(let nodes, _) = result {
            return nodes.map { node in
                node.kind == .element && field != .url && field != .id ? node.innerHTML : node.textContent
            }
        }
        return result.texts
    }

    /// Entries for the schema.org Events in the page's JSON-LD.
    static func jsonLDEntries(
        _ document: HTMLDocument, firstNumber: Int
    ) -> (entries: [RawEntry], filtered: Int, problems: [String]) {
        let blocks = document.jsonLDBlocks()
        let (nodes, problems) = SchemaOrg.nodes(in: blocks)
        let events = SchemaOrg.events(in: nodes)
        if events.isEmpty {
            let found = blocks.isEmpty ? "no JSON-LD" : "JSON-LD without an Event (\(blocks.count) block(s))"
            return ([], 0, problems + ["the page has \(found), and no items XPath is defined"])
        }
        let base = document.baseURL
        let entries = events.enumerated().map { offset, event in
            var entry = RawEntry(number: firstNumber + offset, baseURL: base)
            entry.fill(from: event)
            return entry
        }
        return (entries, 0, problems)
    }
}

extension RawEntry {
    /// Takes the fields a schema.org Event gives, each marked as coming from the JSON-LD.
    mutating func fill(from event: SchemaEvent, detail: Bool = false) {
        let pairs: [(MappedField, String?, String)] = [
            (.title, event.name, "name"), (.summary, event.description, "description"), (.url, event.url, "url"),
            (.id, event.identifier, "identifier"), (.start, event.startDate, "startDate"),
            (.end, event.endDate, "endDate"), (.location, event.location, "location"),
            (.organizer, event.organizer, "organizer"),
            // An event's deadline is the last day to register (offers' validThrough and the like).
            (.deadline, event.registrationDeadline, "registration deadline"),
        ]
        for (field, value, property) in pairs {
            guard let value, !value.isEmpty else { continue }
            if detail {
                guard !has(field) else { continue }
                detailValues[field] = [value]
            } else {
                values[field] = [value]
            }
            origins[field] = "JSON-LD \(property)"
        }
        if !event.keywords.isEmpty, !has(.topics) {
            if detail { detailValues[.topics] = event.keywords } else { values[.topics] = event.keywords }
            origins[.topics] = "JSON-LD keywords"
        }
        if event.cancelled { cancelled = true }
        if event.online { online = true }
    }
}
