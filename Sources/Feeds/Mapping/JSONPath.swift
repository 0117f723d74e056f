import Foundation

/// A dotted path into a JSON value, as source definitions write them: `Titel`, `data.items[0].title`,
/// `metadata.deadlineDate[0]`, `LankLista.URL`, `records[*].name`, `["key.with.dots"]`; the empty path is the value
/// itself.
///
/// A name step applied to an array applies to each of its elements (so `LankLista.URL` gives every link's URL); `[N]`
/// picks an element (negative counts from the end) and, applied to a value that is not an array, keeps the value
/// (feeds that wrap every value in a list, and sometimes forget to, read the same); `[*]` gives every element of an
/// array, or every member of an object in key order.
public struct JSONPath: Sendable, Hashable, CustomStringConvertible {
    /// One step of a path.
    public enum Step: Sendable, Hashable {
        /// An object member.
        case key(String)
        /// An array element; negative from the end.
        case index(Int)
        /// Every element or member.
        case all
    }

    /// The steps, in order.
    public let steps: [Step]
    /// The path as written.
    public let text: String

    /// Parses `text`; throws with the position of the first character that does not fit the syntax.
    public init(_ text: String) throws(JSONPathError) {
        self.text = text
        var steps: [Step] = []
        let leading = text.prefix { $0 == " " || $0 == "\t" }.count
        let characters = Array(text.trimmingCharacters(in: .whitespaces))
        var index = 0
        func fail(_ reason: String, at position: Int? = nil) -> JSONPathError {
            JSONPathError(path: text, position: leading + (position ?? index) + 1, reason: reason)
        }
        if characters.first == "$" {
            index = 1
            if index < characters.count, characters[index] == "." { index += 1 }
        }
        var expectName = true
        while index < characters.count {
            let character = characters[index]
            if character == "[" {
                let open = index
                index += 1
                guard index < characters.count else { throw fail("'[' is not closed", at: open) }
                if characters[index] == "\"" || characters[index] == "'" {
                    let quote = characters[index]
                    let quoteStart = index
                    index += 1
                    var name = ""
                    while index < characters.count, characters[index] != quote {
                        if characters[index] == "\\", index + 1 < characters.count { index += 1 }
                        name.append(characters[index])
                        index += 1
                    }
                    guard index < characters.count else { throw fail("the quoted name is not closed", at: quoteStart) }
                    index += 1
                    steps.append(.key(name))
                } else if characters[index] == "*" {
                    index += 1
                    steps.append(.all)
                } else {
                    var digits = ""
                    if characters[index] == "-" {
                        digits.append("-")
                        index += 1
                    }
                    while index < characters.count, characters[index].isASCII, characters[index].isNumber {
                        digits.append(characters[index])
                        index += 1
                    }
                    guard !digits.isEmpty, digits != "-" else {
                        throw fail("expected a number, '*' or a quoted name inside [ ]")
                    }
                    guard let number = Int(digits) else { throw fail("the index \(digits) is too large", at: open + 1) }
                    steps.append(.index(number))
                }
                guard index < characters.count, characters[index] == "]" else { throw fail("expected ']'") }
                index += 1
                expectName = false
            } else if character == "." {
                guard !expectName || steps.isEmpty && index == 0 else { throw fail("empty name between dots") }
                index += 1
                expectName = true
                guard index < characters.count else { throw fail("the path ends with '.'", at: index - 1) }
            } else {
                guard expectName else { throw fail("expected '.' or '[' before a name") }
                var name = ""
                while index < characters.count, !".[]".contains(characters[index]) {
                    if characters[index].isWhitespace || "{}\"'".contains(characters[index]) {
                        let shown = characters[index] == "'" ? "a quote" : "'\(characters[index])'"
                        throw fail("\(shown) cannot stand in a name; quote it as [\"…\"]")
                    }
                    name.append(characters[index])
                    index += 1
                }
                if characters.count > index, characters[index] == "]" { throw fail("']' without '['") }
                steps.append(name == "*" ? .all : .key(name))
                expectName = false
            }
        }
        self.steps = steps
    }

    /// The path as written.
    public var description: String { text }

    /// Every value the path reaches in `root`, in document order, at most `limit` of them.
    public func values(in root: JSONValue, limit: Int = 100_000) -> [JSONValue] {
        guard limit >= 1 else { return values(from: [root], steps: steps[...], limit: limit) }
        // The common path names one member or element at each step ("metadata.title[0]"): followed without making a
        // list at every step, until a step reaches over several values.
        var value = root
        for (offset, step) in steps.enumerated() {
            switch (step, value) {
            case (.key(let name), .object(let members)):
                guard let member = members[name] else { return [] }
                value = member
            case (.index(let position), .array(let elements)):
                let resolved = position < 0 ? elements.count + position : position
                guard elements.indices.contains(resolved) else { return [] }
                value = elements[resolved]
            case (.index(let position), _):
                guard position == 0 || position == -1 else { return [] }
            default:
                return values(from: [value], steps: steps[offset...], limit: limit)
            }
        }
        return [value]
    }

    /// The values `steps` reach from `start`, at most `limit`, every step over every value reached so far.
    func values(from start: [JSONValue], steps: ArraySlice<Step>, limit: Int) -> [JSONValue] {
        var current = start
        for step in steps {
            var next: [JSONValue] = []
            for value in current {
                switch (step, value) {
                case (.key(let name), .object(let members)):
                    if let member = members[name] { next.append(member) }
                case (.key(let name), .array(let elements)):
                    for case .object(let members) in elements {
                        if let member = members[name] { next.append(member) }
                    }
                case (.index(let position), .array(let elements)):
                    let resolved = position < 0 ? elements.count + position : position
                    if elements.indices.contains(resolved) { next.append(elements[resolved]) }
                case (.index(let position), _):
                    if position == 0 || position == -1 { next.append(value) }
                case (.all, .array(let elements)):
                    next += elements
                case (.all, .object(let members)):
                    next += members.keys.sorted().compactMap { members[$0] }
                default:
                    break
                }
                if next.count >= limit { break }
            }
            current = next.count > limit ? Array(next.prefix(limit)) : next
            if current.isEmpty { break }
        }
        return current
    }
}

/// A path that does not fit the syntax.
public struct JSONPathError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The path as written.
    public var path: String
    /// The 1-based character where the problem is.
    public var position: Int
    /// What is wrong.
    public var reason: String

    /// An error at `position` of `path`.
    public init(path: String, position: Int, reason: String) {
        self.path = path
        self.position = position
        self.reason = reason
    }

    /// `invalid path 'a..b' at character 3: empty name between dots`.
    public var description: String { "invalid path '\(path)' at character \(position): \(reason)" }
}
