import Foundation

/// One condition an item must meet to be kept, as source definitions write them: `Publik == true`,
/// `status != "closed"`, or a bare `PATH` (present, and not empty, `false` or `0`).
///
/// The path is kept as text, for the caller to evaluate in its own language (a JSON path, an XPath); the condition
/// compares the texts the path gives.
public struct FieldFilter: Sendable, Hashable, CustomStringConvertible {
    /// How the path's values are tested.
    public enum Test: Sendable, Hashable {
        /// Some value equals the text.
        case equals(String)
        /// No value equals the text.
        case differs(String)
        /// Some value is present and not empty, `false` or `0`.
        case present
    }

    /// The path, as written.
    public let path: String
    /// The test.
    public let test: Test
    /// The condition as written.
    public let text: String

    /// Reads `text`; the value after `==` or `!=` may be quoted with `"` or `'`.
    public init(_ text: String) throws(FieldFilterError) {
        self.text = text
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw FieldFilterError(filter: text, reason: "the condition is empty") }
        guard let (operatorRange, isEquals) = Self.comparison(in: trimmed) else {
            if Self.hasBareEquals(trimmed) { throw FieldFilterError(filter: text, reason: "write '==' to compare") }
            path = trimmed
            test = .present
            return
        }
        let symbol = isEquals ? "==" : "!="
        let path = trimmed[..<operatorRange.lowerBound].trimmingCharacters(in: .whitespaces)
        var value = trimmed[operatorRange.upperBound...].trimmingCharacters(in: .whitespaces)
        guard !path.isEmpty else { throw FieldFilterError(filter: text, reason: "no path before '\(symbol)'") }
        if let quote = value.first, quote == "\"" || quote == "'" {
            guard value.count >= 2, value.last == quote else {
                throw FieldFilterError(filter: text, reason: "the quoted value is not closed")
            }
            value = String(value.dropFirst().dropLast())
        } else if value.isEmpty {
            throw FieldFilterError(filter: text, reason: "no value after '\(symbol)'; write \"\" for empty text")
        } else if value.hasPrefix("=") {
            throw FieldFilterError(filter: text, reason: "write '==' or '!=' once")
        }
        self.path = path
        self.test = isEquals ? .equals(value) : .differs(value)
    }

    /// The first `==` or `!=` outside brackets, parentheses and quotes (an XPath inside the path may hold its own).
    private static func comparison(in text: String) -> (Range<String.Index>, isEquals: Bool)? {
        topLevelEquals(in: text).first { $0.isPair }.map { ($0.range, $0.isEquals) }
    }

    /// Whether a lone `=` stands outside brackets and quotes (a typo for `==`).
    private static func hasBareEquals(_ text: String) -> Bool {
        topLevelEquals(in: text).contains { !$0.isPair }
    }

    /// Every `=`, `==` and `!=` outside brackets, parentheses and quotes, in order.
    private static func topLevelEquals(
        in text: String
    ) -> [(range: Range<String.Index>, isPair: Bool, isEquals: Bool)] {
        var found: [(range: Range<String.Index>, isPair: Bool, isEquals: Bool)] = []
        var depth = 0
        var quote: Character?
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            let next = text.index(after: index)
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == "[" || character == "(" {
                depth += 1
            } else if character == "]" || character == ")" {
                depth = max(0, depth - 1)
            } else if depth == 0, character == "=" || character == "!" {
                if next < text.endIndex, text[next] == "=" {
                    found.append((index..<text.index(after: next), true, character == "="))
                    index = text.index(after: next)
                    continue
                }
                if character == "=" { found.append((index..<next, false, false)) }
            }
            index = next
        }
        return found
    }

    /// The condition as written.
    public var description: String { text }

    /// Whether `values` (the texts the path gave) meet the condition. Comparisons ignore case and surrounding
    /// white space, and `true`/`1`, `false`/`0` are the same.
    public func holds(for values: [String]) -> Bool {
        switch test {
        case .present:
            return values.contains { value in
                let folded = Self.fold(value)
                return !folded.isEmpty && folded != "false" && folded != "0"
            }
        case .equals(let expected):
            let wanted = Self.fold(expected)
            return values.contains { Self.fold($0) == wanted }
        case .differs(let expected):
            let wanted = Self.fold(expected)
            return !values.contains { Self.fold($0) == wanted }
        }
    }

    private static func fold(_ value: String) -> String {
        let text = value.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        switch text {
        case "1": return "true"
        case "0": return "false"
        default: return text
        }
    }
}

/// A condition that does not fit the syntax.
public struct FieldFilterError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The condition as written.
    public var filter: String
    /// What is wrong.
    public var reason: String

    /// An error for `filter`.
    public init(filter: String, reason: String) {
        self.filter = filter
        self.reason = reason
    }

    /// `invalid condition 'Publik = true': write '==' to compare`.
    public var description: String { "invalid condition '\(filter)': \(reason)" }
}
