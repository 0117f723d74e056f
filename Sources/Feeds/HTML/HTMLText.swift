import CLibXML2
import DigestSupport
import Foundation

/// Readable plain text from the HTML that feeds carry, for text/plain email parts and for searching.
public enum HTMLText {
    /// Converts `html` to plain text.
    ///
    /// Paragraphs and other blocks become blank-line-separated, `<br>` a newline, list items lines starting
    /// with "• ", links "text <url>" when the URL differs from the text; script, style and similar content is
    /// dropped, entities are decoded and whitespace is collapsed. Parsing uses libxml2's tolerant HTML parser,
    /// so any input gives some text. Relative link targets are resolved against `baseURL` when given.
    public static func plainText(_ html: String, baseURL: URL? = nil) -> String {
        guard html.utf8Contains(UInt8(ascii: "<")) || html.utf8Contains(UInt8(ascii: "&")) else {
            return PlainText.collapseWhitespace(html)
        }
        var builder = Builder(baseURL: baseURL)
        // libxml2's tree is read where it is: converting it to `HTMLNode`s first cost as much as the reading.
        HTMLNode.withFragment(html) { fragment in
            switch fragment {
            case .text(let text): builder.emit(text)
            case .tree(let document): builder.walkChildren(of: document.pointee.children, depth: 0)
            }
        }
        return builder.result
    }

    static let droppedElements: Set<String> = [
        "script", "style", "head", "title", "noscript", "template", "iframe", "object", "embed", "form", "svg",
        "math", "applet", "select", "textarea", "button",
    ]

    static let blockElements: Set<String> = [
        "p", "div", "section", "article", "header", "footer", "main", "aside", "nav", "figure", "figcaption",
        "blockquote", "ul", "ol", "dl", "dt", "dd", "table", "thead", "tbody", "tfoot", "tr", "pre", "address",
        "center", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "body", "html",
    ]

    private struct Builder {
        let baseURL: URL?
        /// The text so far, as UTF-8.
        var output: [UInt8] = []
        /// 0: none, 1: newline, 2: blank line, owed before the next text.
        var pendingBreak = 0
        var pendingSpace = false
        var preformatted = 0

        var result: String {
            String(decoding: output, as: UTF8.self).trimmedWhitespace
        }

        mutating func requestBreak(_ level: Int) {
            if !output.isEmpty { pendingBreak = max(pendingBreak, level) }
            pendingSpace = false
        }

        mutating func emit(_ text: String) {
            var text = text
            text.makeContiguousUTF8()
            text.utf8.withContiguousStorageIfAvailable { emit($0) }
        }

        mutating func emit(_ bytes: UnsafeBufferPointer<UInt8>) {
            if preformatted > 0 {
                flushBreak()
                output += bytes
                return
            }
            var index = 0
            // Bytes, not scalars: a Unicode property lookup per scalar cost a tenth of reading a large API answer.
            while index < bytes.count {
                let space = UTF8Whitespace.length(in: bytes, at: index)
                if space > 0 {
                    if !output.isEmpty && pendingBreak == 0 { pendingSpace = true }
                    index += space
                    continue
                }
                flushBreak()
                if pendingSpace {
                    if !UTF8Whitespace.endsWithWhitespace(output) { output.append(0x20) }
                    pendingSpace = false
                }
                var end = index + 1  // the run of text up to the next whitespace, copied at once
                while end < bytes.count && UTF8Whitespace.length(in: bytes, at: end) == 0 { end += 1 }
                output += UnsafeBufferPointer(rebasing: bytes[index..<end])
                index = end
            }
        }

        private mutating func flushBreak() {
            if pendingBreak > 0 && !output.isEmpty {
                while output.last == 0x20 { output.removeLast() }
                output += pendingBreak >= 2 ? [0x0A, 0x0A] : [0x0A]
            }
            pendingBreak = 0
        }

        /// Reads `first` and the siblings after it.
        mutating func walkChildren(of first: xmlNodePtr?, depth: Int) {
            var child = first
            while let node = child {
                visit(node, depth: depth)
                child = node.pointee.next
            }
        }

        /// The text of `node`'s children; past `HTMLNode.maximumDepth` only their text, as one run.
        private mutating func walkContent(of node: xmlNodePtr, depth: Int) {
            if depth < HTMLNode.maximumDepth {
                walkChildren(of: node.pointee.children, depth: depth + 1)
            } else if let content = xmlNodeGetContent(node) {
                emit(UnsafeBufferPointer(start: content, count: strlen(content)))
                digest_xml_free(content)
            }
        }

        mutating func visit(_ node: xmlNodePtr, depth: Int) {
            switch node.pointee.type {
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = node.pointee.content {
                    emit(UnsafeBufferPointer(start: content, count: strlen(content)))
                }
            case XML_ELEMENT_NODE:
                let name = node.pointee.name.map { String(cString: $0).lowercased() } ?? ""
                if HTMLText.droppedElements.contains(name) { return }
                switch name {
                case "br":
                    flushBreak()
                    output.append(0x0A)
                    pendingSpace = false
                case "li":
                    requestBreak(1)
                    flushBreak()
                    output += "• ".utf8
                    pendingSpace = false
                    walkContent(of: node, depth: depth)
                    requestBreak(1)
                case "td", "th":
                    if !output.isEmpty { pendingSpace = true }
                    walkContent(of: node, depth: depth)
                    pendingSpace = true
                case "a":
                    let before = output.count
                    walkContent(of: node, depth: depth)
                    let linkText = String(decoding: output[before...], as: UTF8.self).trimmedWhitespace
                    if let href = HTMLNode.attribute("href", of: node).flatMap({
                        FeedURL.resolve($0, against: baseURL)?.absoluteString
                    }),
                        href.hasPrefix("http://") || href.hasPrefix("https://") || href.hasPrefix("mailto:"),
                        href != linkText, !(href.hasPrefix("mailto:") && href.dropFirst(7) == linkText)
                    {
                        emit(linkText.isEmpty ? href : " <\(href)>")
                    }
                case "pre":
                    requestBreak(2)
                    preformatted += 1
                    walkContent(of: node, depth: depth)
                    preformatted -= 1
                    requestBreak(2)
                default:
                    let isBlock = HTMLText.blockElements.contains(name)
                    if isBlock { requestBreak(name == "tr" || name == "dt" || name == "dd" ? 1 : 2) }
                    walkContent(of: node, depth: depth)
                    if isBlock { requestBreak(name == "tr" || name == "dt" || name == "dd" ? 1 : 2) }
                }
            default:
                break
            }
        }
    }
}
