import CLibXML2

extension HTMLDocument {
    /// A node of the document: an element, attribute, text, or other node. Valid while its document lives
    /// (it keeps the document alive: hold a strong reference to the HTMLDocument inside Node).
    ///
    /// Two nodes are equal when they are the same node of the same document.
    public struct Node: Hashable {
        /// What sort of node this is.
        public enum Kind: Sendable, Equatable {
            /// An element, such as `<li>`.
            case element
            /// An attribute, such as `@href`.
            case attribute
            /// A run of text (or CDATA).
            case text
            /// The document node.
            case document
            /// A comment, processing instruction, document type or namespace node.
            case other
        }

        enum Storage: Hashable {
            case node(xmlNodePtr)
            /// libxml2 frees the namespace nodes of a node-set with it, so their values are copied.
            case namespace(prefix: String, uri: String)
        }

        let document: HTMLDocument
        let storage: Storage

        init(document: HTMLDocument, pointer: xmlNodePtr) {
            self.document = document
            storage = .node(pointer)
        }

        init(document: HTMLDocument, storage: Storage) {
            self.document = document
            self.storage = storage
        }

        /// Whether both are the same node of the same document.
        public static func == (lhs: Node, rhs: Node) -> Bool {
            lhs.document === rhs.document && lhs.storage == rhs.storage
        }

        /// Hashes the node's identity.
        public func hash(into hasher: inout Hasher) {
            hasher.combine(ObjectIdentifier(document))
            hasher.combine(storage)
        }

        /// What sort of node this is.
        public var kind: Kind {
            guard case .node(let pointer) = storage else { return .other }
            switch pointer.pointee.type {
            case XML_ELEMENT_NODE: return .element
            case XML_ATTRIBUTE_NODE: return .attribute
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE: return .text
            case XML_DOCUMENT_NODE, XML_HTML_DOCUMENT_NODE: return .document
            default: return .other
            }
        }

        /// Lower-case element or attribute name ("" for text).
        ///
        /// "" for the document, comments and other nodes too; a namespace node's prefix.
        public var name: String {
            switch storage {
            case .namespace(let prefix, _):
                return prefix
            case .node(let pointer):
                guard kind == .element || kind == .attribute, let name = pointer.pointee.name else { return "" }
                return String(cString: name).lowercased()
            }
        }

        /// The node's text content (xmlNodeGetContent: an element's descendant text, an attribute's value),
        /// entities decoded, NOT collapsed.
        ///
        /// A namespace node's URI.
        public var textContent: String {
            switch storage {
            case .namespace(_, let uri):
                return uri
            case .node(let pointer):
                guard let content = xmlNodeGetContent(pointer) else { return "" }
                defer { digest_xml_free(content) }
                return String(cString: content)
            }
        }

        /// The element's inner HTML (children serialised as HTML with htmlNodeDump or xmlNodeDump into an
        /// xmlBuffer); for attribute/text nodes their text escaped as HTML.
        ///
        /// The document node gives its children's HTML; comments and other nodes their text escaped.
        public var innerHTML: String {
            switch (storage, kind) {
            case (.node(let pointer), .element), (.node(let pointer), .document):
                return HTMLDocument.serialize(document.tree, pointer, includingNode: false)
            default:
                return PlainText.escapeHTML(textContent)
            }
        }

        /// The element's HTML including its own tags (for other nodes the same as `innerHTML`).
        public var outerHTML: String {
            guard case .node(let pointer) = storage, kind == .element else { return innerHTML }
            return HTMLDocument.serialize(document.tree, pointer, includingNode: true)
        }

        /// The value of the element's attribute `name` (compared case-insensitively), entities decoded; nil when
        /// the element has no such attribute or this is not an element.
        public func attribute(_ name: String) -> String? {
            guard case .node(let pointer) = storage, kind == .element else { return nil }
            return HTMLNode.attribute(name, of: pointer)
        }
    }
}

/// What an XPath expression evaluated to.
public enum XPathResult {
    /// A node-set: at most the `limit` asked for, in document order; `truncated` when more matched.
    case nodes([HTMLDocument.Node], truncated: Bool)
    /// A string, from `string(…)`, `concat(…)` and the like.
    case string(String)
    /// A number, from `count(…)`, `sum(…)` and the like.
    case number(Double)
    /// A boolean, from comparisons, `boolean(…)`, `not(…)` and the like.
    case boolean(Bool)

    /// Each value as text: nodes' textContent; a string as it is; a number without needless ".0" (NaN → empty list);
    /// a boolean "true"/"false".
    public var texts: [String] {
        switch self {
        case .nodes(let nodes, _):
            return nodes.map(\.textContent)
        case .string(let value):
            return [value]
        case .number(let value):
            if value.isNaN { return [] }
            if value.isInfinite { return [value < 0 ? "-Infinity" : "Infinity"] }
            if value == value.rounded(), abs(value) < 1e15 { return [String(Int64(value))] }
            return [String(value)]
        case .boolean(let value):
            return [value ? "true" : "false"]
        }
    }
}
