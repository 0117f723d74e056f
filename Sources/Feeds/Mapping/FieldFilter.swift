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
        for (symbol, make) in [("==", Test.equals), ("!=", Test.differs)] {
            guard let range = trimmed.range(of: " \(symbol) ") ?? trimmed.range(of: symbol) else { continue }
            let path = trimmed[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
            var value = trimmed[range.upperBound...].trimmingCharacters(in: .whitespaces)
            guard !path.isEmpty else { throw FieldFilterError(filter: text, reason: "no path before '\(symbol)'") }
            if let quote = value.first, quote == "\"" || quote == "'" {
                guard value.count >= 2, value.last == quote else {
                    throw FieldFilterError(filter: text, reason: "the quoted value is not closed")
                }
                value = String(value.dropFirst().dropLast())
            } else if value.isEmpty {
                throw FieldFilterError(filter: text, reason: "no value after '\(symbol)'; write \"\" for empty text")
            }
            self.path = path
            self.test = make(value)
            return
        }
        if !trimmed.contains("["), trimmed.contains(" = ") || trimmed.hasSuffix("=") {
            throw FieldFilterError(filter: text, reason: "write '==' to compare")
        }
        path = trimmed
        test = .present
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

    /// `invalid condition 'Publik = true': write '==' to compare`.
    public var description: String { "invalid condition '\(filter)': \(reason)" }
}
