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
        builder.walk(HTMLNode.parseFragment(html))
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
            if preformatted > 0 {
                flushBreak()
                output += text.utf8
                return
            }
            var text = text
            text.makeContiguousUTF8()
            text.utf8.withContiguousStorageIfAvailable { bytes in
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
        }

        private mutating func flushBreak() {
            if pendingBreak > 0 && !output.isEmpty {
                while output.last == 0x20 { output.removeLast() }
                output += pendingBreak >= 2 ? [0x0A, 0x0A] : [0x0A]
            }
            pendingBreak = 0
        }

        mutating func walk(_ nodes: [HTMLNode]) {
            for node in nodes { visit(node) }
        }

        mutating func visit(_ node: HTMLNode) {
            switch node {
            case .text(let text):
                emit(text)
            case .element(let name, _, let children):
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
                    walk(children)
                    requestBreak(1)
                case "td", "th":
                    if !output.isEmpty { pendingSpace = true }
                    walk(children)
                    pendingSpace = true
                case "a":
                    let before = output.count
                    walk(children)
                    let linkText = String(decoding: output[before...], as: UTF8.self).trimmedWhitespace
                    if let href = node.attribute("href").flatMap({
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
                    walk(children)
                    preformatted -= 1
                    requestBreak(2)
                default:
                    let isBlock = HTMLText.blockElements.contains(name)
                    if isBlock { requestBreak(name == "tr" || name == "dt" || name == "dd" ? 1 : 2) }
                    walk(children)
                    if isBlock { requestBreak(name == "tr" || name == "dt" || name == "dd" ? 1 : 2) }
                }
            }
        }
    }
}
