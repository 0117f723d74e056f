/// Reads Mustache text into ``CompiledTemplate/Node``s, with swift-mustache's rules for standalone lines: a line
/// holding only whitespace and a section, inverted-section, closing, comment, partial, delimiter or pragma tag is
/// left out of the output, and a standalone partial is indented by the whitespace before it.
struct TemplateParser {
    typealias Node = CompiledTemplate.Node

    private let characters: [Character]
    private var index = 0
    private var open: [Character] = ["{", "{"]
    private var close: [Character] = ["}", "}"]
    /// Where the tag being read opens (its opening delimiter).
    private var tagStart = 0
    private let indentedPartials: Bool
    /// How many sections are open at the current position.
    private var sectionDepth = 0
    /// The most sections that may be open at once, so that neither parsing nor rendering can exhaust the stack.
    static let maximumSectionDepth = 100
    /// Every partial tag read so far, in the order of the text.
    private(set) var partials: [CompiledTemplate.PartialReference] = []

    private static let nameCharacters = Set("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-_?*()")
    private static let partialNameCharacters = nameCharacters.union(["/"])

    init(_ text: String, indentedPartials: Bool) {
        characters = Array(text)
        self.indentedPartials = indentedPartials
    }

    /// The whole template.
    mutating func parseAll() throws(TemplateCompileError) -> [Node] {
        try parse(section: nil, opening: 0, atLineStart: true)
    }

    private var atEnd: Bool { index >= characters.count }

    /// An error of `kind` at the tag that opens at `position` (by default the tag being read).
    private func error(_ kind: TemplateCompileError.Kind, at position: Int? = nil, _ message: String)
        -> TemplateCompileError
    {
        let (line, column) = location(of: position ?? tagStart)
        return TemplateCompileError(kind, line: line, column: column, message: message)
    }

    /// The 1-based line and column (in characters) of `position`.
    private func location(of position: Int) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        for character in characters[..<min(position, characters.count)] {
            if character.isNewline {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return (line, column)
    }

    /// Nodes up to the closing tag of `section` (consumed), or to the end of the text when `section` is `nil`;
    /// `opening` is where the section's tag opens.
    private mutating func parse(section: String?, opening: Int, atLineStart: Bool) throws(TemplateCompileError)
        -> [Node]
    {
        var nodes: [Node] = []
        var atLineStart = atLineStart
        var indentation = ""
        while !atEnd {
            if atLineStart {
                indentation = readSpacesAndTabs()
            }
            let text = readTextUntilTagOrLineEnd()
            if !atEnd && characters[index].isNewline {
                nodes.append(.text(indentation + text + String(characters[index])))
                index += 1
                atLineStart = true
                continue
            }
            if !text.isEmpty {
                nodes.append(.text(indentation + text))
                indentation = ""
                atLineStart = false
            }
            if atEnd {
                break
            }
            var standalone = false
            let sigil = characters[index]
            switch sigil {
            case "#", "^":
                let opening = tagStart
                index += 1
                let name = try readName()
                standalone = isStandalone(atLineStart)
                if !standalone && !indentation.isEmpty {
                    nodes.append(.text(indentation))
                    indentation = ""
                }
                guard sectionDepth < Self.maximumSectionDepth else {
                    throw error(
                        .malformed, "sections nest more than \(Self.maximumSectionDepth) deep at '{{\(sigil)\(name)}}'")
                }
                sectionDepth += 1
                let body = try parse(section: name, opening: opening, atLineStart: standalone)
                sectionDepth -= 1
                nodes.append(.section(Self.path(name), inverted: sigil == "^", body: body))
            case "/":
                index += 1
                let name = try readName()
                guard name == section else {
                    let open = section.map { "'{{#\($0)}}'" } ?? "a section"
                    throw error(.malformed, "'{{/\(name)}}' does not close \(open)")
                }
                if !isStandalone(atLineStart) && !indentation.isEmpty {
                    nodes.append(.text(indentation))
                }
                return nodes
            case "!":
                index += 1
                try skipPast(close)
                standalone = isStandalone(atLineStart)
            case "{":
                if !indentation.isEmpty {
                    nodes.append(.text(indentation))
                    indentation = ""
                }
                index += 1
                let name = try readName()
                guard !atEnd, characters[index] == "}" else {
                    throw error(.malformed, "'{{{\(name)}}' is not closed by '}}}'")
                }
                index += 1
                nodes.append(.variable(Self.path(name), escaped: false))
            case "&":
                if !indentation.isEmpty {
                    nodes.append(.text(indentation))
                    indentation = ""
                }
                index += 1
                nodes.append(.variable(Self.path(try readName()), escaped: false))
            case ">":
                index += 1
                skipWhitespace()
                if !atEnd && characters[index] == "*" {
                    throw error(.unsupported, "dynamic partials are not supported")
                }
                let name = try readPartialName()
                if !indentation.isEmpty {
                    nodes.append(.text(indentation))
                }
                standalone = isStandalone(atLineStart)
                if standalone && !indentation.isEmpty && !indentedPartials {
                    throw error(
                        .unsupported,
                        "an indented partial ('{{> \(name)}}') is not supported; start its line with the tag")
                }
                nodes.append(.partial(name, indentation: standalone ? indentation : nil))
                let (line, column) = location(of: tagStart)
                partials.append(CompiledTemplate.PartialReference(name: name, line: line, column: column))
                indentation = ""
            case "<", "$":
                throw error(.unsupported, "template inheritance ('{{\(sigil)…}}', parents and blocks) is not supported")
            case "=":
                index += 1
                try readDelimiters()
                standalone = isStandalone(atLineStart)
            case "%":
                index += 1
                nodes.append(try readPragma())
                standalone = isStandalone(atLineStart)
            default:
                if !indentation.isEmpty {
                    nodes.append(.text(indentation))
                    indentation = ""
                }
                nodes.append(.variable(Self.path(try readName()), escaped: true))
            }
            atLineStart = standalone
        }
        if let section {
            throw error(.malformed, at: opening, "'{{#\(section)}}' is never closed")
        }
        return nodes
    }

    private static func path(_ name: String) -> CompiledTemplate.Path {
        if name == "." { return CompiledTemplate.Path(components: [], topOnly: false) }
        let components = name.split(separator: ".").map(String.init)
        return CompiledTemplate.Path(components: components, topOnly: name.first == "." && !components.isEmpty)
    }

    private mutating func readSpacesAndTabs() -> String {
        let start = index
        while !atEnd && (characters[index] == " " || characters[index] == "\t") { index += 1 }
        return String(characters[start..<index])
    }

    private mutating func skipWhitespace() {
        while !atEnd && characters[index].isWhitespace { index += 1 }
    }

    /// Text up to a line end (not consumed) or an opening delimiter (consumed).
    private mutating func readTextUntilTagOrLineEnd() -> String {
        var text = ""
        while !atEnd {
            let character = characters[index]
            if character == "\n" || character == "\r\n" {
                break
            }
            if character == open[0] && matches(open) {
                tagStart = index
                index += open.count
                break
            }
            text.append(character)
            index += 1
        }
        return text
    }

    private func matches(_ delimiter: [Character]) -> Bool {
        guard index + delimiter.count <= characters.count else { return false }
        return characters[index..<index + delimiter.count].elementsEqual(delimiter)
    }

    /// A tag's name and its closing delimiter.
    private mutating func readName() throws(TemplateCompileError) -> String {
        skipWhitespace()
        let start = index
        while !atEnd && Self.nameCharacters.contains(characters[index]) { index += 1 }
        let name = String(characters[start..<index])
        skipWhitespace()
        guard matches(close) else { throw error(.malformed, "the tag '\(name)' is not closed") }
        index += close.count
        if name.contains("(") || name.contains(")") {
            throw error(.unsupported, "transforms ('\(name)') are not supported")
        }
        return name
    }

    private mutating func readPartialName() throws(TemplateCompileError) -> String {
        skipWhitespace()
        let start = index
        while !atEnd && Self.partialNameCharacters.contains(characters[index]) { index += 1 }
        let name = String(characters[start..<index])
        skipWhitespace()
        guard matches(close) else { throw error(.malformed, "the partial tag '\(name)' is not closed") }
        index += close.count
        return name
    }

    private mutating func skipPast(_ delimiter: [Character]) throws(TemplateCompileError) {
        while !atEnd && !matches(delimiter) { index += 1 }
        guard !atEnd else { throw error(.malformed, "the comment is not closed") }
        index += delimiter.count
    }

    /// `{{=<% %>=}}`, after the `=`.
    private mutating func readDelimiters() throws(TemplateCompileError) {
        skipWhitespace()
        var start: [Character] = []
        while !atEnd && !characters[index].isWhitespace {
            start.append(characters[index])
            index += 1
        }
        skipWhitespace()
        var end: [Character] = []
        while !atEnd && !characters[index].isWhitespace && characters[index] != "=" {
            end.append(characters[index])
            index += 1
        }
        skipWhitespace()
        guard !atEnd, characters[index] == "=" else {
            throw error(.malformed, "a delimiter tag is written '{{=<% %>=}}'")
        }
        index += 1
        guard matches(close), !start.isEmpty, !end.isEmpty else {
            throw error(.malformed, "a delimiter tag is written '{{=<% %>=}}'")
        }
        index += close.count
        open = start
        close = end
    }

    /// `{{% CONTENT_TYPE: TEXT}}`, after the `%`.
    private mutating func readPragma() throws(TemplateCompileError) -> Node {
        skipWhitespace()
        let variableStart = index
        while !atEnd && Self.nameCharacters.contains(characters[index]) && characters[index] != "(" { index += 1 }
        let variable = String(characters[variableStart..<index])
        skipWhitespace()
        guard !atEnd, characters[index] == ":" else {
            throw error(.malformed, "a pragma is written '{{% CONTENT_TYPE: TEXT}}'")
        }
        index += 1
        skipWhitespace()
        let valueStart = index
        while !atEnd && Self.nameCharacters.contains(characters[index]) && characters[index] != "(" { index += 1 }
        let value = String(characters[valueStart..<index])
        skipWhitespace()
        guard matches(close) else { throw error(.malformed, "a pragma is written '{{% CONTENT_TYPE: TEXT}}'") }
        index += close.count
        guard variable == "CONTENT_TYPE", value == "TEXT" || value == "HTML" else {
            throw error(.unsupported, "the pragma '\(variable): \(value)' is not supported")
        }
        return .contentType(isText: value == "TEXT")
    }

    /// Whether a tag that began a line ends it too; if so the line end is consumed.
    private mutating func isStandalone(_ atLineStart: Bool) -> Bool {
        guard atLineStart else { return false }
        if atEnd { return true }
        var cursor = index
        while cursor < characters.count && (characters[cursor] == " " || characters[cursor] == "\t") { cursor += 1 }
        guard cursor < characters.count, characters[cursor].isNewline else { return false }
        index = cursor + 1
        return true
    }
}
