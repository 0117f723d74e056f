import DigestSupport
import Feeds
import Foundation

/// An `Item` field a JSON or HTML source definition can fill (`fields:` and `follow.fields:` keys).
public enum MappedField: String, Sendable, CaseIterable, Codable, Comparable {
    case id, title, summary, url, organizer, start, end, allDay, location, opens, deadline, budget, topics, regions

    /// Fields in the order of the `allCases` list (the order `digest sources test` prints them in).
    public static func < (lhs: MappedField, rhs: MappedField) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// An expression of a source definition, compiled for the source's format: a dotted JSON path, or XPath 1.0.
public enum MappingExpression: Sendable, Hashable, CustomStringConvertible {
    /// A dotted path into JSON.
    case json(JSONPath)
    /// An XPath 1.0 expression evaluated by libxml2 on an HTML page.
    case xpath(XPath)

    /// Compiles `text` for `language`; the error message is fit for a diagnostic.
    static func compile(_ text: String, as language: SourceMapping.Language) -> Result<MappingExpression, MappingError>
    {
        switch language {
        case .json:
            do throws(JSONPathError) {
                return .success(.json(try JSONPath(text)))
            } catch {
                return .failure(MappingError(message: error.description + "."))
            }
        case .xpath:
            do throws(XPathError) {
                return .success(.xpath(try XPath(text)))
            } catch {
                return .failure(MappingError(message: error.description + "."))
            }
        }
    }

    /// The expression as written.
    public var description: String {
        switch self {
        case .json(let path): path.text
        case .xpath(let xpath): xpath.expression
        }
    }
}

/// A definition that did not compile.
struct MappingError: Error {
    var message: String
}

/// One field definition: the template as written and its compiled expressions, one per `{…}` part.
public struct FieldDefinition: Sendable, Hashable {
    /// The field it fills.
    public var field: MappedField
    /// The definition as written.
    public var template: FieldTemplate
    /// The compiled expressions, in the template's order.
    public var expressions: [MappingExpression]
}

/// One `where:` condition with its compiled path.
public struct FilterDefinition: Sendable, Hashable {
    /// The condition as written.
    public var filter: FieldFilter
    /// Its compiled path.
    public var expression: MappingExpression
}

/// How a `format: json` or `format: html` source becomes items: where the items are, which to keep, and which
/// path fills each field.
public struct SourceMapping: Sendable, Hashable {
    /// The expression language of the source's format.
    public enum Language: Sendable, Hashable {
        /// Dotted JSON paths.
        case json
        /// XPath 1.0 on libxml2's HTML tree.
        case xpath
    }

    /// The language of `items`, `where` and `fields`.
    public var language: Language
    /// The expression selecting the items; nil for the document itself (JSON) or its JSON-LD (HTML).
    public var items: MappingExpression?
    /// Conditions every kept item meets.
    public var filters: [FilterDefinition]
    /// Field definitions, in `MappedField` order.
    public var fields: [FieldDefinition]
    /// Detail pages to fetch for what the list lacks.
    public var follow: SourceFollow?

    /// The definition of `field`, if the source maps it.
    public func definition(of field: MappedField) -> FieldDefinition? {
        fields.first { $0.field == field }
    }
}

/// `sources[].follow`: each item's own page is fetched to fill the fields the list did not give.
public struct SourceFollow: Sendable, Hashable, Decodable {
    /// XPath definitions evaluated on the item's page; empty: the page's JSON-LD and the deadline finder over its main
    /// text.
    public var fields: [FieldDefinition]
    /// Pages fetched at once.
    public var concurrency: Int
    /// A page fetched less than this long ago whose list entry did not change is reused without asking again.
    public var maxAge: TimeSpan
    /// The most pages fetched in one run; later items keep what the list gave, with a warning.
    public var limit: Int

    enum CodingKeys: String, CodingKey, CaseIterable {
        case fields, concurrency, maxAge, limit
    }

    /// Decodes the `follow:` mapping: `fields` (XPath), `concurrency` (1–16, default 4), `maxAge` (default 6d) and
    /// `limit` (default 100).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
        fields = try SourceMapping.decodeFields(container, .fields, language: .xpath)
        concurrency = try container.decodeIfPresent(Int.self, forKey: .concurrency) ?? 4
        maxAge = try container.decodeIfPresent(TimeSpan.self, forKey: .maxAge) ?? TimeSpan(6, .days)
        limit = try container.decodeIfPresent(Int.self, forKey: .limit) ?? 100
        guard (1...16).contains(concurrency) else {
            throw DecodingError.dataCorruptedError(
                forKey: .concurrency, in: container, debugDescription: "concurrency must be between 1 and 16.")
        }
        guard limit >= 0 else {
            throw DecodingError.dataCorruptedError(
                forKey: .limit, in: container, debugDescription: "limit must be 0 or more.")
        }
    }
}

extension SourceMapping {
    /// Decodes a `fields:` mapping of item fields to definitions, compiling each for `language`; an unknown field
    /// name or an expression that does not compile is an error at its place in the file.
    static func decodeFields<Keys: CodingKey>(
        _ container: KeyedDecodingContainer<Keys>, _ key: Keys, language: Language
    ) throws -> [FieldDefinition] {
        guard container.contains(key) else { return [] }
        let nested = try container.nestedContainer(keyedBy: AnyCodingKey.self, forKey: key)
        var definitions: [FieldDefinition] = []
        for name in nested.allKeys {
            guard let field = MappedField(rawValue: name.stringValue) else {
                let known = MappedField.allCases.map(\.rawValue)
                throw UnknownKeyError(
                    codingPath: nested.codingPath + [name],
                    key: name.stringValue,
                    message: "unknown item field '\(name.stringValue)'."
                        + Suggestion.hint(for: name.stringValue, in: known)
                        + " Fields: \(known.joined(separator: ", "))."
                )
            }
            let text = try nested.decode(String.self, forKey: name)
            definitions.append(try compile(text, for: field, language: language, at: nested.codingPath + [name]))
        }
        return definitions.sorted { $0.field < $1.field }
    }

    static func compile(
        _ text: String, for field: MappedField, language: Language, at codingPath: [any CodingKey]
    ) throws -> FieldDefinition {
        func fail(_ message: String) -> DecodingError {
            .dataCorrupted(.init(codingPath: codingPath, debugDescription: message))
        }
        let template: FieldTemplate
        do throws(FieldTemplateError) {
            template = try FieldTemplate(text)
        } catch {
            throw fail(error.description + ".")
        }
        var expressions: [MappingExpression] = []
        for part in template.expressions {
            switch MappingExpression.compile(part, as: language) {
            case .success(let expression): expressions.append(expression)
            case .failure(let error): throw fail(error.message)
            }
        }
        return FieldDefinition(field: field, template: template, expressions: expressions)
    }

    static func compileFilters<Keys: CodingKey>(
        _ texts: [String], in container: KeyedDecodingContainer<Keys>, key: Keys, language: Language
    ) throws -> [FilterDefinition] {
        try texts.enumerated().map { index, text in
            let path =
                container.codingPath + [key as any CodingKey] + (texts.count > 1 ? [AnyCodingKey(intValue: index)] : [])
            let filter: FieldFilter
            do throws(FieldFilterError) {
                filter = try FieldFilter(text)
            } catch {
                throw DecodingError.dataCorrupted(.init(codingPath: path, debugDescription: error.description + "."))
            }
            switch MappingExpression.compile(filter.path, as: language) {
            case .success(let expression): return FilterDefinition(filter: filter, expression: expression)
            case .failure(let error):
                throw DecodingError.dataCorrupted(.init(codingPath: path, debugDescription: error.message))
            }
        }
    }
}
