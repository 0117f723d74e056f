import Foundation

/// A field definition that is either one expression (a path) or text with `{expression}` parts, such as
/// `https://www.vinnova.se/e/{Diarienummer}`. `{{` and `}}` stand for literal braces.
public struct FieldTemplate: Sendable, Hashable {
    /// One piece of a template.
    public enum Part: Sendable, Hashable {
        /// Text copied as it is.
        case literal(String)
        /// An expression whose first value is put in its place.
        case expression(String)
    }

    /// The pieces, in order.
    public let parts: [Part]
    /// The definition as written.
    public let text: String

    /// Reads `text`: with no `{`, it is one expression; otherwise literal text with `{…}` parts.
    public init(_ text: String) throws(FieldTemplateError) {
        self.text = text
        guard text.contains("{") || text.contains("}") else {
            parts = [.expression(text)]
            return
        }
        var parts: [Part] = []
        var literal = ""
        let characters = Array(text)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            let next = index + 1 < characters.count ? characters[index + 1] : nil
            if character == "{" && next == "{" || character == "}" && next == "}" {
                literal.append(character)
                index += 2
            } else if character == "{" {
                guard let close = characters[(index + 1)...].firstIndex(of: "}") else {
                    throw FieldTemplateError(template: text, position: index + 1, reason: "'{' is not closed")
                }
                let expression = String(characters[(index + 1)..<close]).trimmingCharacters(in: .whitespaces)
                guard !expression.isEmpty, !expression.contains("{") else {
                    let reason = expression.isEmpty ? "'{}' names nothing" : "'{' inside '{…}'"
                    throw FieldTemplateError(template: text, position: index + 1, reason: reason)
                }
                if !literal.isEmpty { parts.append(.literal(literal)) }
                literal = ""
                parts.append(.expression(expression))
                index = close + 1
            } else if character == "}" {
                throw FieldTemplateError(template: text, position: index + 1, reason: "'}' without '{'")
            } else {
                literal.append(character)
                index += 1
            }
        }
        if !literal.isEmpty { parts.append(.literal(literal)) }
        self.parts = parts
    }

    /// The expressions the template reads, in order.
    public var expressions: [String] {
        parts.compactMap { if case .expression(let text) = $0 { return text } else { return nil } }
    }

    /// Whether the template is a single expression with no literal text (its values pass through whole, lists
    /// included).
    public var isSingleExpression: Bool {
        parts.count == 1 && expressions.count == 1
    }
}

/// A template whose braces do not pair.
public struct FieldTemplateError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The template as written.
    public var template: String
    /// The 1-based character where the problem is.
    public var position: Int
    /// What is wrong.
    public var reason: String

    /// An error at `position` of `template`.
    public init(template: String, position: Int, reason: String) {
        self.template = template
        self.position = position
        self.reason = reason
    }

    /// `invalid template 'x{y' at character 2: '{' is not closed`.
    public var description: String { "invalid template '\(template)' at character \(position): \(reason)" }
}
