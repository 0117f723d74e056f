/// Compiled templates by name, which render each other as partials.
public struct TemplateSet: Sendable {
    private var templates: [String: CompiledTemplate] = [:]

    /// An empty set.
    public init() {}

    /// Adds `template` as `name`, replacing any template of that name.
    public mutating func add(_ template: CompiledTemplate, named name: String) {
        templates[name] = template
    }

    /// Whether there is a template called `name`.
    public func contains(_ name: String) -> Bool {
        templates[name] != nil
    }

    /// Template `name` rendered with `value` as the context, or `nil` when there is no such template. Partials that
    /// are not in the set render as nothing, as in swift-mustache.
    public func render(_ name: String, _ value: TemplateValue) -> String? {
        guard let template = templates[name] else { return nil }
        var renderer = Renderer(templates: templates, stack: [value])
        var output = ""
        renderer.render(template.nodes, isText: false, indentation: nil, into: &output)
        return output
    }

    private struct Renderer {
        let templates: [String: CompiledTemplate]
        var stack: [TemplateValue]

        mutating func render(
            _ nodes: [CompiledTemplate.Node],
            isText: Bool,
            indentation: String?,
            into output: inout String
        ) {
            var isText = isText
            guard let indentation, !indentation.isEmpty else {
                for node in nodes {
                    render(node, isText: &isText, indentation: indentation, into: &output)
                }
                return
            }
            // As swift-mustache: before each piece that follows a line feed, the partial's indentation.
            var local = ""
            for node in nodes {
                var piece = ""
                render(node, isText: &isText, indentation: indentation, into: &piece)
                if !piece.isEmpty && local.last == "\n" {
                    local += indentation
                }
                local += piece
            }
            output += local
        }

        private mutating func render(
            _ node: CompiledTemplate.Node,
            isText: inout Bool,
            indentation: String?,
            into output: inout String
        ) {
            switch node {
            case .text(let text):
                output += text
            case .variable(let path, let escaped):
                guard let value = lookup(path) else { return }
                switch value {
                case .string(let text):
                    if escaped && !isText { HTMLEscape.append(text, to: &output) } else { output += text }
                case .int(let number):
                    output += String(number)
                case .bool(let flag):
                    output += flag ? "true" : "false"
                case .list, .object:
                    break
                }
            case .section(let path, let inverted, let body):
                let value = lookup(path)
                if inverted {
                    switch value {
                    case nil:
                        render(body, isText: isText, indentation: indentation, into: &output)
                    case .bool(let flag)?:
                        if !flag { render(body, isText: isText, indentation: indentation, into: &output) }
                    case .list(let elements)? where elements.isEmpty:
                        // swift-mustache puts the empty list on the stack.
                        stack.append(.list([]))
                        render(body, isText: isText, indentation: indentation, into: &output)
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
                    if flag { render(body, isText: isText, indentation: indentation, into: &output) }
                case .list(let elements)?:
                    for element in elements {
                        stack.append(element)
                        render(body, isText: isText, indentation: indentation, into: &output)
                        stack.removeLast()
                    }
                case let value?:
                    stack.append(value)
                    render(body, isText: isText, indentation: indentation, into: &output)
                    stack.removeLast()
                }
            case .partial(let name, let partialIndentation):
                guard let template = templates[name] else { return }
                let combined = partialIndentation.map { (indentation ?? "") + $0 } ?? indentation
                // A partial starts as HTML whatever includes it, as in swift-mustache.
                render(template.nodes, isText: false, indentation: combined, into: &output)
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

/// HTML escaping as swift-mustache does it: `&`, `<`, `>`, `"` and `'`.
enum HTMLEscape {
    static func append(_ text: String, to output: inout String) {
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
