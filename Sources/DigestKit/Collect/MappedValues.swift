import DigestSupport
import Feeds
import Foundation

/// Cleans the texts mapped fields give: HTML converted to plain text as feed HTML is (scripts dropped, entities
/// decoded, whitespace collapsed), a leading language tag such as `(sv):` dropped; links and ids kept as written.
enum MappedText {
    /// `text` as `field` keeps it.
    static func clean(_ text: String, for field: MappedField, baseURL: URL?) -> String {
        if field == .url || field == .id {
            return text.trimmedWhitespace
        }
        var value = Substring(text.trimmedWhitespace)
        if value.hasPrefix("("), let close = value.prefix(6).firstIndex(of: ")"),
            value[value.index(after: close)...].hasPrefix(":"),
            value[value.index(after: value.startIndex)..<close].allSatisfy({ $0.isLetter })
        {
            value = value[value.index(close, offsetBy: 2)...]
        }
        var plain = HTMLText.plainText(String(value), baseURL: baseURL)
        // Soft hyphens and zero-width spaces that CMSs put inside words must not split a title in a search.
        if plain.utf8Contains(0xAD) || plain.utf8Contains(0x8B) || plain.utf8Contains(0xBB) {  // their last bytes
            plain.unicodeScalars.removeAll { $0 == "\u{00AD}" || $0 == "\u{200B}" || $0 == "\u{FEFF}" }
        }
        return plain
    }

    /// Fills `definition`'s template: a single expression passes every value through; otherwise each `{…}` takes
    /// the first value of its expression (percent-encoded in a URL) and nothing is given when one has none.
    static func render(
        _ definition: FieldDefinition, baseURL: URL?, values: (MappingExpression) -> [String]
    ) -> [String] {
        if definition.template.isSingleExpression, let expression = definition.expressions.first {
            return values(expression).map { clean($0, for: definition.field, baseURL: baseURL) }.filter { !$0.isEmpty }
        }
        var result = ""
        var expressions = definition.expressions.makeIterator()
        for part in definition.template.parts {
            switch part {
            case .literal(let text):
                result += text
            case .expression:
                guard let expression = expressions.next(),
                    let value = values(expression).lazy.map({ clean($0, for: definition.field, baseURL: baseURL) })
                        .first(where: { !$0.isEmpty })
                else { return [] }
                if definition.field == .url {
                    result += value.addingPercentEncoding(withAllowedCharacters: ItemMapper.linkCharacters) ?? value
                } else {
                    result += value
                }
            }
        }
        return [result]
    }
}

extension MappedText {
    /// The entries of `elements` (the items a JSON path or an XPath selected) that meet every `where` condition,
    /// each field rendered from `texts(expression, element, field)`; `filtered` counts those left out.
    static func entries<Element>(
        of elements: [Element], mapping: SourceMapping, baseURL: URL?, firstNumber: Int,
        texts: (MappingExpression, Element, MappedField?) -> [String]
    ) -> (entries: [RawEntry], filtered: Int) {
        var entries: [RawEntry] = []
        for (offset, element) in elements.enumerated() {
            if let entry = entry(
                of: element, number: firstNumber + offset, mapping: mapping, baseURL: baseURL, texts: texts)
            {
                entries.append(entry)
            }
        }
        return (entries, elements.count - entries.count)
    }

    /// `element`'s entry, numbered `number`, or nil when a `where` condition leaves it out.
    static func entry<Element>(
        of element: Element, number: Int, mapping: SourceMapping, baseURL: URL?,
        texts: (MappingExpression, Element, MappedField?) -> [String]
    ) -> RawEntry? {
        // A condition's field is nil: it compares text, never markup.
        guard mapping.filters.allSatisfy({ $0.filter.holds(for: texts($0.expression, element, nil)) }) else {
            return nil
        }
        var entry = RawEntry(number: number, baseURL: baseURL)
        for definition in mapping.fields {
            entry.values[definition.field] = render(definition, baseURL: baseURL) {
                texts($0, element, definition.field)
            }
        }
        return entry
    }
}

/// The entries of a JSON document, as a source's mapping selects, filters and reads them.
struct JSONEntries {
    let mapping: SourceMapping
    /// The most entries read from one document.
    static let maximumEntries = 10_000

    /// The entries of `data`; `filtered` counts those `where` left out.
    func read(
        _ data: Data, baseURL: URL?, firstNumber: Int
    ) throws(SourceFailure) -> (entries: [RawEntry], filtered: Int, problems: [String]) {
        var problems: [String] = []
        var elements = try selected(in: data)
        if elements.count > Self.maximumEntries {
            problems.append(
                "the document holds \(elements.count) items; only the first \(Self.maximumEntries) are read")
            elements = Array(elements.prefix(Self.maximumEntries))
        }
        let count = elements.count
        // A JSON value is a value: its entries are read on every core, handed over in batches that the workers
        // drop when they have read them, so the document is freed on every core too (freed here, at the end, it
        // took a tenth of the whole command).
        let mapping = mapping
        let map = OverlappedMap<(number: Int, value: JSONValue), RawEntry?> { element in
            MappedText.entry(of: element.value, number: element.number, mapping: mapping, baseURL: baseURL) {
                expression, value, _ in Self.texts(expression, value)
            }
        }
        var start = 0
        while start < count {
            let end = min(start + Self.batchSize, count)
            map.submit((start..<end).map { (firstNumber + $0, elements[$0]) })
            start = end
        }
        elements = []
        let entries = map.finish([]).compactMap { $0 }
        return (entries, count - entries.count, problems)
    }

    /// How many items a worker reads at a time.
    private static let batchSize = 64

    /// The items of the document in `data`; the rest of the document is freed on return.
    private func selected(in data: Data) throws(SourceFailure) -> [JSONValue] {
        let root: JSONValue
        do {
            root = try JSONValue.parse(data)
        } catch {
            throw SourceFailure(message: error.description)
        }
        return try select(root)
    }

    /// The values `items` selects: the elements of the list it names (or of several), the document itself when it is
    /// a list, or the only list in it.
    private func select(_ root: JSONValue) throws(SourceFailure) -> [JSONValue] {
        if case .json(let path)? = mapping.items {
            let found = path.values(in: root)
            if found.count == 1, case .array(let elements) = found[0] { return elements }
            if found.count == 1, let kind = Self.kind(of: found[0]), kind != "an object" {
                throw SourceFailure(message: "items '\(path.text)' gives \(kind), not a list of items")
            }
            return found.flatMap { value -> [JSONValue] in
                if case .array(let elements) = value { return elements }
                return [value]
            }
        }
        switch root {
        case .array(let elements):
            return elements
        case .object(let members):
            let lists = members.keys.sorted().filter { members[$0]?.array != nil }
            if lists.count == 1, let elements = members[lists[0]]?.array { return elements }
            if lists.count > 1 {
                throw SourceFailure(
                    message: "the document holds several lists (\(lists.joined(separator: ", "))); "
                        + "name the one with the items in items:")
            }
            return [root]
        default:
            throw SourceFailure(message: "the document is \(Self.kind(of: root) ?? "a value"), not a list of items")
        }
    }

    private static func kind(of value: JSONValue) -> String? {
        switch value {
        case .string: "a string"
        case .number: "a number"
        case .bool: "true or false"
        case .null: "null"
        case .object: "an object"
        case .array: nil
        }
    }

    /// The scalar texts `expression` reaches in `value`, lists flattened.
    private static func texts(_ expression: MappingExpression, _ value: JSONValue) -> [String] {
        guard case .json(let path) = expression else { return [] }
        var result: [String] = []
        func add(_ value: JSONValue, depth: Int) {
            if let text = value.scalarText {
                result.append(text)
            } else if case .array(let elements) = value, depth < 8 {
                for element in elements { add(element, depth: depth + 1) }
            }
        }
        for found in path.values(in: value, limit: 1000) { add(found, depth: 0) }
        return result
    }
}
