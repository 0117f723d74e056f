import CLibXML2
import Foundation

/// A node of an HTML fragment as libxml2's tolerant HTML parser understood it.
///
/// Element names are lower case; attribute values and text have their entities decoded.
enum HTMLNode: Sendable {
    /// An element with its lower-case name, its attributes in document order and its children.
    case element(name: String, attributes: [(name: String, value: String)], children: [HTMLNode])
    /// A run of text, entities decoded.
    case text(String)

    /// The value of the attribute `name` (lower case), if this is an element that has it.
    func attribute(_ name: String) -> String? {
        guard case .element(_, let attributes, _) = self else { return nil }
        return attributes.first { $0.name == name }?.value
    }

    /// Parses an HTML fragment with libxml2 (tolerant, recovering from errors, no network access).
    ///
    /// Never fails: unparseable input yields its text, and empty input an empty list.
    static func parseFragment(_ html: String) -> [HTMLNode] {
        if html.isEmpty { return [] }
        return withFragment(html) { fragment in
            switch fragment {
            case .text(let text): return [.text(text)]
            case .tree(let document):
                var result: [HTMLNode] = []
                var child = document.pointee.children
                while let node = child {
                    convert(node, into: &result, depth: 0)
                    child = node.pointee.next
                }
                return result
            }
        }
    }

    /// What to read of a fragment: libxml2's tree of it, or its text when the tree is no good.
    enum Fragment {
        /// The parsed document, valid during the call it is handed to.
        case tree(htmlDocPtr)
        /// The fragment as it is when libxml2 made no document; its text, tags taken out, when libxml2 stopped
        /// before the end (nesting past its depth limit) or its tree holds no text while the markup does.
        case text(String)
    }

    /// `body` given the fragment `html` as `parseFragment` and `HTMLText` read it: the tree is freed afterwards.
    static func withFragment<Result>(_ html: String, _ body: (Fragment) -> Result) -> Result {
        var halted: Int32 = 0
        LibXML2.prepare()
        // Read from the string's own bytes (libxml2 copies its input): no array made of each fragment first.
        var contiguous = html
        contiguous.makeContiguousUTF8()
        let document: htmlDocPtr? =
            contiguous.utf8.withContiguousStorageIfAvailable { buffer in
                let count = min(buffer.count, Int(Int32.max))
                return buffer.baseAddress?.withMemoryRebound(to: CChar.self, capacity: count) { pointer in
                    digest_html_read_fragment(pointer, Int32(count), &halted)
                }
            } ?? nil
        guard let document else { return body(.text(html)) }
        defer { xmlFreeDoc(document) }
        if halted != 0 || !hasText(document.pointee.children) {
            let text = PlainText.decodeEntities(PlainText.stripTags(html))
            if !text.trimmedWhitespace.isEmpty { return body(.text(text)) }
        }
        return body(.tree(document))
    }

    /// Whether a text or CDATA node among `first`, its siblings after it and their descendants holds more than
    /// white space.
    private static func hasText(_ first: xmlNodePtr?, depth: Int = 0) -> Bool {
        var sibling = first
        while let node = sibling {
            switch node.pointee.type {
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = node.pointee.content, isText(content) { return true }
            case XML_ELEMENT_NODE where depth < maximumDepth:
                if hasText(node.pointee.children, depth: depth + 1) { return true }
            case XML_ELEMENT_NODE:
                // As deep as `convert` flattens an element, its text is read without recursion.
                if let content = xmlNodeGetContent(node) {
                    defer { digest_xml_free(content) }
                    if isText(content) { return true }
                }
            default:
                break
            }
            sibling = node.pointee.next
        }
        return false
    }

    /// Whether libxml2's string `content` holds more than white space.
    private static func isText(_ content: UnsafePointer<xmlChar>) -> Bool {
        UTF8Whitespace.trimmedBounds(UnsafeBufferPointer(start: content, count: strlen(content))) != nil
    }

    /// The value of `node`'s first attribute named `name` (compared case-insensitively), entities decoded; nil when
    /// it has none.
    static func attribute(_ name: String, of node: xmlNodePtr) -> String? {
        let wanted = name.lowercased()
        var attribute = node.pointee.properties
        while let current = attribute {
            if let attributeName = current.pointee.name, String(cString: attributeName).lowercased() == wanted {
                guard let value = xmlNodeListGetString(node.pointee.doc, current.pointee.children, 1) else {
                    return ""
                }
                defer { digest_xml_free(value) }
                return String(cString: value)
            }
            attribute = current.pointee.next
        }
        return nil
    }

    /// Nesting deeper than this is flattened to its text, bounding recursion on hostile input.
    static let maximumDepth = 256

    private static func convert(_ node: xmlNodePtr, into result: inout [HTMLNode], depth: Int) {
        switch node.pointee.type {
        case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
            if let content = node.pointee.content {
                result.append(.text(String(cString: content)))
            }
        case XML_ELEMENT_NODE:
            let name = node.pointee.name.map { String(cString: $0).lowercased() } ?? ""
            var attributes: [(name: String, value: String)] = []
            var attribute = node.pointee.properties
            while let current = attribute {
                let attributeName = current.pointee.name.map { String(cString: $0).lowercased() } ?? ""
                var value = ""
                if let valuePointer = xmlNodeListGetString(node.pointee.doc, current.pointee.children, 1) {
                    value = String(cString: valuePointer)
                    digest_xml_free(valuePointer)
                }
                attributes.append((attributeName, value))
                attribute = current.pointee.next
            }
            var children: [HTMLNode] = []
            if depth < maximumDepth {
                var child = node.pointee.children
                while let current = child {
                    convert(current, into: &children, depth: depth + 1)
                    child = current.pointee.next
                }
            } else if let content = xmlNodeGetContent(node) {
                // Past the depth limit only the text is kept.
                children.append(.text(String(cString: content)))
                digest_xml_free(content)
            }
            result.append(.element(name: name, attributes: attributes, children: children))
        default:
            break
        }
    }
}
