import Foundation

/// Reduces feed HTML to a small subset that is safe in an HTML email.
public enum HTMLSanitizer {
    /// The elements kept (without any attribute except `href` on `a`).
    public static let allowedElements: Set<String> = [
        "p", "br", "ul", "ol", "li", "strong", "b", "em", "i", "a", "blockquote",
    ]

    /// Returns a safe version of `html`.
    ///
    /// Keeps p, br, ul, ol, li, strong, b, em, i, blockquote, and a with an absolute http, https or mailto `href`
    /// (relative ones resolved against `baseURL`); removes script, style, iframe, object, form and similar elements
    /// with their content, and images; unwraps every other element to its content (headings become bold
    /// paragraphs, other blocks end with a line break). No attribute but `href` survives. Text is re-escaped and
    /// whitespace collapsed. Parsing uses libxml2's tolerant HTML parser.
    public static func sanitize(_ html: String, baseURL: URL?) -> String {
        var writer = Writer(baseURL: baseURL)
        writer.walk(HTMLNode.parseFragment(html))
        var output = writer.output.trimmedWhitespace
        while output.hasSuffix("<br>") {
            output.removeLast(4)
            output = output.trimmedWhitespace
        }
        return output
    }

    private struct Writer {
        let baseURL: URL?
        var output = ""

        init(baseURL: URL?) { self.baseURL = baseURL }

        var endsWithBoundary: Bool {
            output.isEmpty || output.hasSuffix("</p>") || output.hasSuffix("<br>") || output.hasSuffix("</li>")
                || output.hasSuffix("</ul>") || output.hasSuffix("</ol>") || output.hasSuffix("</blockquote>")
                || output.hasSuffix("<ul>") || output.hasSuffix("<ol>") || output.hasSuffix("<li>")
                || output.hasSuffix("<p>") || output.hasSuffix("<blockquote>")
        }

        mutating func walk(_ nodes: [HTMLNode]) {
            for node in nodes { visit(node) }
        }

        mutating func text(_ value: String) {
            var collapsed = ""
            var space = false
            for scalar in value.unicodeScalars {
                if scalar.properties.isWhitespace && scalar != "\u{00A0}" {
                    space = true
                } else {
                    if space { collapsed += " " }
                    space = false
                    collapsed.unicodeScalars.append(scalar)
                }
            }
            if space { collapsed += " " }
            if collapsed.hasPrefix(" ") && (endsWithBoundary || output.hasSuffix(" ")) { collapsed.removeFirst() }
            if collapsed.isEmpty { return }
            output += PlainText.escapeHTML(collapsed).replacingOccurrences(of: "&quot;", with: "\"")
        }

        mutating func visit(_ node: HTMLNode) {
            switch node {
            case .text(let value):
                text(value)
            case .element(let name, _, let children):
                if HTMLText.droppedElements.contains(name) || name == "img" { return }
                switch name {
                case "br":
                    output += "<br>"
                case "a":
                    guard let href = node.attribute("href").flatMap(safeLink) else {
                        walk(children)
                        return
                    }
                    let start = output.utf8.count
                    output += "<a href=\"\(PlainText.escapeHTML(href))\">"
                    let contentStart = output.utf8.count
                    walk(children)
                    if output.utf8.count == contentStart {
                        output = String(decoding: output.utf8.prefix(start), as: UTF8.self)
                    } else {
                        output += "</a>"
                    }
                case "td", "th":
                    walk(children)
                    if !output.hasSuffix(" ") && !endsWithBoundary { output += " " }
                case "h1", "h2", "h3", "h4", "h5", "h6":
                    output += "<p><strong>"
                    walk(children)
                    output += "</strong></p>"
                case _ where HTMLSanitizer.allowedElements.contains(name):
                    let start = output.utf8.count
                    output += "<\(name)>"
                    let contentStart = output.utf8.count
                    walk(children)
                    if output.utf8.dropFirst(contentStart).allSatisfy({ $0 == 0x20 }) {
                        output = String(decoding: output.utf8.prefix(start), as: UTF8.self)
                    } else {
                        while output.hasSuffix(" ") { output.removeLast() }
                        output += "</\(name)>"
                    }
                default:
                    walk(children)
                    if HTMLText.blockElements.contains(name), name != "html", name != "body", !endsWithBoundary {
                        output += "<br>"
                    }
                }
            }
        }

        func safeLink(_ href: String) -> String? {
            guard let url = FeedURL.resolve(href, against: baseURL), let scheme = url.scheme?.lowercased(),
                ["http", "https", "mailto"].contains(scheme)
            else { return nil }
            if scheme != "mailto" && url.host == nil { return nil }
            return url.absoluteString
        }
    }
}
