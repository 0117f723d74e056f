/// Compiled templates by name, which render each other as partials.
public struct TemplateSet: Sendable {
    /// How deep partials may nest while rendering: past it, rendering stops with a ``TemplateRenderError`` rather
    /// than exhausting the stack.
    public static let maximumPartialDepth = 32

    private var templates: [String: CompiledTemplate] = [:]

    /// An empty set.
    public init() {}

    /// Adds `template` as `name`, replacing any template of that name.
    public mutating func add(_ template: CompiledTemplate, named name: String) {
        templates[name] = template
    }

    /// The names of the templates in the set, in no particular order.
    public var names: Dictionary<String, CompiledTemplate>.Keys { templates.keys }

    /// The template named `name`, if the set has one.
    public func template(named name: String) -> CompiledTemplate? {
        templates[name]
    }

    /// Template `name` rendered with `value` as the context, or `nil` when there is no such template. Partials that
    /// are not in the set render as nothing, as in swift-mustache; partials nested deeper than
    /// ``maximumPartialDepth`` throw.
    public func render(_ name: String, _ value: TemplateValue) throws(TemplateRenderError) -> String? {
        guard let template = templates[name] else { return nil }
        var renderer = Renderer(templates: templates, stack: [value], chain: [name])
        var output = TextOutput()
        try renderer.render(template.nodes, isText: false, indentation: nil, into: &output)
        return output.text
    }

    /// Template `name` rendered as ``render(_:_:)`` does, cut where ``TemplateValue/placeholder(_:)`` values were
    /// written: text and placeholders in order, with no empty text and no two texts in a row.
    public func renderPieces(_ name: String, _ value: TemplateValue) throws(TemplateRenderError) -> [TemplatePiece]? {
        guard let template = templates[name] else { return nil }
        var renderer = Renderer(templates: templates, stack: [value], chain: [name])
        var output = PieceOutput()
        try renderer.render(template.nodes, isText: false, indentation: nil, into: &output)
        return output.finished()
    }

    private struct Renderer {
        let templates: [String: CompiledTemplate]
        var stack: [TemplateValue]
        /// The template rendered and the partials it is inside, outermost first.
        var chain: [String]

        mutating func render<Output: RenderOutput>(
            _ nodes: [CompiledTemplate.Node],
            isText: Bool,
            indentation: String?,
            into output: inout Output
        ) throws(TemplateRenderError) {
            var isText = isText
            guard let indentation, !indentation.isEmpty else {
                for node in nodes {
                    try render(node, isText: &isText, indentation: indentation, into: &output)
                }
                return
            }
            // As swift-mustache: before each piece that follows a line feed, the partial's indentation.
            var local = Output()
            for node in nodes {
                var piece = Output()
                try render(node, isText: &isText, indentation: indentation, into: &piece)
                if !piece.isEmpty && local.endsWithLineFeed {
                    local.append(indentation)
                }
                local.append(contentsOf: piece)
            }
            output.append(contentsOf: local)
        }

        private mutating func render<Output: RenderOutput>(
            _ node: CompiledTemplate.Node,
            isText: inout Bool,
            indentation: String?,
            into output: inout Output
        ) throws(TemplateRenderError) {
            switch node {
            case .text(let text):
                output.append(text)
            case .variable(let path, let escaped):
                guard let value = lookup(path) else { return }
                switch value {
                case .string(let text):
                    if escaped && !isText { output.appendEscaped(text) } else { output.append(text) }
                case .int(let number):
                    output.append(String(number))
                case .bool(let flag):
                    output.append(flag ? "true" : "false")
                case .placeholder(let number):
                    output.appendPlaceholder(number, escaped: escaped && !isText)
                case .list, .object:
                    break
                }
            case .section(let path, let inverted, let body):
                let value = lookup(path)
                if inverted {
                    switch value {
                    case nil:
                        try render(body, isText: isText, indentation: indentation, into: &output)
                    case .bool(let flag)?:
                        if !flag { try render(body, isText: isText, indentation: indentation, into: &output) }
                    case .list(let elements)? where elements.isEmpty:
                        // swift-mustache puts the empty list on the stack.
                        stack.append(.list([]))
                        try render(body, isText: isText, indentation: indentation, into: &output)
                        stack.removeLast()
                    default:
                        break
                    }
                    return
                }
                switch value {
                case nil:
                    break
                case .bool(let flag)?:
                    if flag { try render(body, isText: isText, indentation: indentation, into: &output) }
                case .list(let elements)?:
                    for element in elements {
                        stack.append(element)
                        try render(body, isText: isText, indentation: indentation, into: &output)
                        stack.removeLast()
                    }
                case let value?:
                    stack.append(value)
                    try render(body, isText: isText, indentation: indentation, into: &output)
                    stack.removeLast()
                }
            case .partial(let name, let partialIndentation):
                guard let template = templates[name] else { return }
                guard chain.count <= TemplateSet.maximumPartialDepth else {
                    throw TemplateRenderError(chain: chain + [name])
                }
                let combined = partialIndentation.map { (indentation ?? "") + $0 } ?? indentation
                chain.append(name)
                defer { chain.removeLast() }
                // A partial starts as HTML whatever includes it, as in swift-mustache.
                try render(template.nodes, isText: false, indentation: combined, into: &output)
            case .contentType(let text):
                isText = text
            }
        }

        private func lookup(_ path: CompiledTemplate.Path) -> TemplateValue? {
            guard let first = path.components.first else { return stack.last }
            var value: TemplateValue?
            if path.topOnly {
                value = stack.last.flatMap { Self.field(first, of: $0) }
            } else {
                for candidate in stack.reversed() {
                    if let found = Self.field(first, of: candidate) {
                        value = found
                        break
                    }
                }
            }
            for component in path.components.dropFirst() {
                guard let current = value else { return nil }
                value = Self.field(component, of: current)
            }
            return value
        }

        private static func field(_ name: String, of value: TemplateValue) -> TemplateValue? {
            guard case .object(let fields) = value else { return nil }
            return fields.value(named: name)
        }
    }
}

/// A piece of a template rendered by ``TemplateSet/renderPieces(_:_:)``.
public enum TemplatePiece: Sendable, Equatable {
    /// Rendered text.
    case text(String)
    /// Where a ``TemplateValue/placeholder(_:)`` with this number was written; `escaped` when the tag HTML-escapes
    /// (`{{x}}` in HTML, not `{{{x}}}`, `{{&x}}` or text), so the caller escapes what it puts there.
    case placeholder(Int, escaped: Bool)
}

/// Where a renderer writes.
protocol RenderOutput {
    init()
    var isEmpty: Bool { get }
    /// Whether the output so far ends with a line feed character (not CRLF), as swift-mustache tests it.
    var endsWithLineFeed: Bool { get }
    mutating func append(_ text: String)
    mutating func appendEscaped(_ text: String)
    mutating func appendPlaceholder(_ number: Int, escaped: Bool)
    mutating func append(contentsOf other: Self)
}

struct TextOutput: RenderOutput {
    var text = ""
    var isEmpty: Bool { text.isEmpty }
    var endsWithLineFeed: Bool { text.last == "\n" }
    mutating func append(_ text: String) { self.text += text }
    mutating func appendEscaped(_ text: String) { HTMLEscape.append(text, to: &self.text) }
    mutating func appendPlaceholder(_ number: Int, escaped: Bool) {}
    mutating func append(contentsOf other: TextOutput) { text += other.text }
}

struct PieceOutput: RenderOutput {
    private var pieces: [TemplatePiece] = []
    private var current = ""
    var isEmpty: Bool { pieces.isEmpty && current.isEmpty }
    var endsWithLineFeed: Bool { current.isEmpty ? false : current.last == "\n" }
    mutating func append(_ text: String) { current += text }
    mutating func appendEscaped(_ text: String) { HTMLEscape.append(text, to: &current) }
    mutating func appendPlaceholder(_ number: Int, escaped: Bool) {
        if !current.isEmpty {
            pieces.append(.text(current))
            current = ""
        }
        pieces.append(.placeholder(number, escaped: escaped))
    }
    mutating func append(contentsOf other: PieceOutput) {
        for piece in other.finished() {
            switch piece {
            case .text(let text): append(text)
            case .placeholder(let number, let escaped): appendPlaceholder(number, escaped: escaped)
            }
        }
    }
    func finished() -> [TemplatePiece] {
        current.isEmpty ? pieces : pieces + [.text(current)]
    }
}

/// HTML escaping as swift-mustache does it: `&`, `<`, `>`, `"` and `'`.
public enum HTMLEscape {
    /// `text` with `&`, `<`, `>`, `"` and `'` written as entities, safe in an element or a quoted attribute.
    public static func escape(_ text: String) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count)
        append(text, to: &output)
        return output
    }

    /// Appends `text`, escaped, to `output`.
    public static func append(_ text: String, to output: inout String) {
        var start = text.utf8.startIndex
        var index = start
        let utf8 = text.utf8
        while index < utf8.endIndex {
            let replacement: String
            switch utf8[index] {
            case UInt8(ascii: "&"): replacement = "&amp;"
            case UInt8(ascii: "<"): replacement = "&lt;"
            case UInt8(ascii: ">"): replacement = "&gt;"
            case UInt8(ascii: "\""): replacement = "&quot;"
            case UInt8(ascii: "'"): replacement = "&#39;"
            default:
                index = utf8.index(after: index)
                continue
            }
            output += text[start..<index]
            output += replacement
            index = utf8.index(after: index)
            start = index
        }
        output += text[start..<utf8.endIndex]
    }
}
