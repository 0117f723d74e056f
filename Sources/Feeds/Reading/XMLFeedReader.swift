import Foundation

/// Streams RSS 0.9x/2.0, RSS 1.0 (RDF) and Atom through `SAXParser`'s events into the normalised model; also
/// Microsoft's CDF (`<CHANNEL><ITEM HREF="…"><TITLE>`, upper-case names), read as RSS, as feedparser reads it.
///
/// No DOM is built: an element stack holds the text of open elements only. Used once, on one thread.
final class XMLFeedReader: SAXHandler {
    private struct Frame {
        var qualifiedName: String
        var localName: String
        var namespace: String
        var attributes: [String: String]
        var text = ""
        var base: URL?
        var hasChildren = false
        /// Whether child elements are serialised into this frame's text as HTML (description, content, summary).
        var capturesMarkup = false
        /// Atom `type="xhtml"`: text is escaped and the wrapping `div` dropped.
        var isXHTML = false
        var truncated = false
    }

    private let limits: FeedLimits
    private let timeZone: TimeZone
    private var stack: [Frame] = []
    private var captureIndex: Int?
    private var itemIndex: Int?
    private var item = FeedItem()
    private var itemEvent = FeedEventInfo()
    private var itemLine = 0
    private var itemCount = 0
    private var reportedItemLimit = false
    private var guidLink: URL?
    /// Whether the document is CDF: its element and attribute names are read in lower case.
    private var isCDF = false
    /// Text kept from elements read only when the item has nothing better: `dc:description`, `itunes:summary`,
    /// `media:description` (summary), `xhtml:body` (content) and `media:title` (title), each the first one seen.
    private var fallbackSummary: String?
    private var fallbackContent: String?
    private var fallbackTitle: String?

    private(set) var format: FeedFormat?
    private(set) var notAFeed: String?
    private(set) var title: String?
    private(set) var link: URL?
    /// The items read and not handed out in a batch.
    private(set) var items: [FeedItem] = []
    /// How many items were handed out in batches.
    private var handedOut = 0
    /// How many items were read, handed out or not.
    var itemsRead: Int { handedOut + items.count }
    private(set) var problems: [FeedProblem] = []

    /// Creates a reader; `batches` is handed each run of `size` items as soon as it is complete.
    init(
        limits: FeedLimits, baseURL: URL?, timeZone: TimeZone,
        batches: (size: Int, handler: ([FeedItem]) -> Void)? = nil
    ) {
        self.limits = limits
        self.timeZone = timeZone
        self.rootBase = baseURL
        self.batches = batches
    }

    private let rootBase: URL?
    private let batches: (size: Int, handler: ([FeedItem]) -> Void)?

    /// Parses `bytes` (UTF-8); returns why the XML is not well-formed, if it is not, and the line.
    func run(_ bytes: [UInt8]) -> (error: String?, line: Int) {
        let parser = SAXParser(handler: self)
        if let failure = parser.parse(bytes) { return (failure.message, failure.line) }
        if let open = stack.last {
            return ("the document ends inside <\(open.qualifiedName)>", max(parser.lineNumber, 1))
        }
        return (nil, parser.lineNumber)
    }

    // MARK: - SAXHandler

    func parser(
        _ parser: SAXParser, didStartElement elementName: String, namespaceURI namespace: String,
        qualifiedName qualified: String, attributes cdfAttributes: [String: String]
    ) {
        if stack.isEmpty && format == nil && elementName == "CHANNEL" && namespace.isEmpty { isCDF = true }
        let elementName = isCDF ? elementName.lowercased() : elementName
        let attributeDict =
            isCDF
            ? Dictionary(cdfAttributes.map { ($0.key.lowercased(), $0.value) }) { first, _ in first } : cdfAttributes
        if stack.isEmpty && format == nil {
            switch (elementName, namespace) {
            case ("rss", _), ("channel", _): format = .rss
            case ("RDF", _): format = .rdf
            case ("feed", let uri) where uri.isEmpty || Namespace.isAtom(uri): format = .atom
            default:
                notAFeed = "the root element <\(qualified)> is not rss, rdf:RDF or an Atom feed"
                parser.abortParsing()
                return
            }
        }
        if !stack.isEmpty { stack[stack.count - 1].hasChildren = true }

        if let captureIndex {
            let capture = stack[captureIndex]
            let isWrapper = capture.isXHTML && stack.count == captureIndex + 1 && elementName == "div"
            if !isWrapper { appendStartTag(elementName, attributes: attributeDict, to: captureIndex) }
            stack.append(
                Frame(qualifiedName: qualified, localName: elementName, namespace: namespace, attributes: [:]))
            return
        }

        let parentBase = stack.last?.base ?? rootBase
        var frame = Frame(
            qualifiedName: qualified, localName: elementName, namespace: namespace, attributes: attributeDict,
            base: parentBase)
        if let base = attributeDict["xml:base"] ?? attributeDict["base"],
            let resolved = FeedURL.resolve(base, against: parentBase)
        {
            frame.base = resolved
        }

        if itemIndex == nil, isItemStart(elementName, namespace) {
            itemIndex = stack.count
            item = FeedItem(baseURL: frame.base)
            itemEvent = FeedEventInfo()
            fallbackSummary = nil
            fallbackContent = nil
            fallbackTitle = nil
            itemLine = parser.lineNumber
            if let about = attributeDict["rdf:about"] ?? attributeDict["about"] { item.id = about }
            if isCDF, let href = attributeDict["href"] { item.link = FeedURL.resolve(href, against: frame.base) }
        } else if capturesMarkup(elementName, namespace) {
            frame.capturesMarkup = true
            frame.isXHTML = attributeDict["type"] == "xhtml"
            captureIndex = stack.count
        }
        stack.append(frame)
    }

    func parser(_ parser: SAXParser, didEndElement cdfName: String, namespaceURI: String, qualifiedName: String) {
        let elementName = isCDF ? cdfName.lowercased() : cdfName
        guard var frame = stack.popLast() else { return }
        if let index = captureIndex {
            if stack.count > index {
                let isWrapper = stack[index].isXHTML && stack.count == index + 1 && elementName == "div"
                if !isWrapper && !Self.voidElements.contains(elementName.lowercased()) {
                    append("</\(elementName)>", to: index)
                }
                return
            }
            captureIndex = nil
        }
        if frame.truncated {
            problems.append(
                FeedProblem(
                    line: parser.lineNumber,
                    message: "<\(frame.qualifiedName)> is longer than \(limits.maximumFieldBytes) bytes; cut short"))
        }
        if let itemIndex {
            if stack.count == itemIndex {
                finishItem(frame, line: parser.lineNumber)
                self.itemIndex = nil
            } else if stack.count == itemIndex + 1 {
                frame.text = frame.text.trimmedWhitespace
                readItemField(frame)
            } else if stack.count == itemIndex + 2, elementName == "name",
                Namespace.isAtom(frame.namespace) || (format == .atom && frame.namespace.isEmpty),
                let parent = stack.last, parent.localName == "author"
            {
                let name = PlainText.collapseWhitespace(frame.text)
                if !name.isEmpty { item.authors.append(name) }
            } else if frame.namespace == Namespace.media {
                // Media RSS puts them in media:group or media:content too.
                readMediaField(frame)
            }
            return
        }
        if let parent = stack.last, isChannel(parent) {
            readFeedField(frame)
        }
    }

    func parser(_ parser: SAXParser, foundCharacters string: String) {
        appendText(string)
    }

    // MARK: - Structure

    private static let voidElements: Set<String> = [
        "br", "img", "hr", "input", "meta", "link", "area", "base", "col", "embed", "source", "track", "wbr",
    ]

    private func isItemStart(_ local: String, _ namespace: String) -> Bool {
        switch format {
        case .atom: return local == "entry" && (Namespace.isAtom(namespace) || namespace.isEmpty)
        case .rss, .rdf: return local == "item" && Namespace.isRSSCore(namespace)
        default: return false
        }
    }

    private func isChannel(_ frame: Frame) -> Bool {
        switch format {
        case .atom: return stack.count == 1
        case .rss: return frame.localName == "channel"
        case .rdf: return frame.localName == "channel" && Namespace.isRSSCore(frame.namespace)
        default: return false
        }
    }

    private func capturesMarkup(_ local: String, _ namespace: String) -> Bool {
        if Namespace.isRSSCore(namespace) { return local == "description" || local == "title" || local == "body" }
        if namespace == Namespace.xhtml { return local == "body" }
        if namespace == Namespace.dublinCore || namespace == Namespace.media { return local == "description" }
        if namespace == Namespace.itunes { return local == "summary" }
        if namespace == Namespace.content { return local == "encoded" }
        if Namespace.isAtom(namespace) || (format == .atom && namespace.isEmpty) {
            return local == "content" || local == "summary" || local == "title" || local == "subtitle"
        }
        return false
    }

    // MARK: - Text

    private func appendText(_ string: String) {
        guard let top = stack.indices.last else { return }
        if let captureIndex, top > captureIndex || stack[captureIndex].isXHTML {
            append(PlainText.escapeHTML(string), to: captureIndex)
        } else {
            append(string, to: top)
        }
    }

    private func append(_ string: String, to index: Int) {
        if stack[index].truncated { return }
        if stack[index].text.utf8.count + string.utf8.count > limits.maximumFieldBytes {
            stack[index].truncated = true
            return
        }
        stack[index].text += string
    }

    private func appendStartTag(_ name: String, attributes: [String: String], to index: Int) {
        var tag = "<" + name
        for key in attributes.keys.sorted() where !key.hasPrefix("xmlns") {
            tag += " \(key)=\"\(PlainText.escapeHTML(attributes[key] ?? ""))\""
        }
        tag += ">"
        append(tag, to: index)
    }

    // MARK: - Fields

    private func readFeedField(_ frame: Frame) {
        let text = frame.text.trimmedWhitespace
        switch (frame.localName, format) {
        case ("title", _) where Namespace.isRSSCore(frame.namespace) || Namespace.isAtom(frame.namespace):
            if title == nil { title = PlainText.title(text) }
        case ("link", .atom):
            let rel = frame.attributes["rel"] ?? "alternate"
            if link == nil, rel == "alternate", let href = frame.attributes["href"] {
                link = FeedURL.resolve(href, against: frame.base)
            }
        case ("link", _) where Namespace.isRSSCore(frame.namespace):
            if link == nil, !text.isEmpty { link = FeedURL.resolve(text, against: frame.base) }
        default:
            break
        }
    }

    private func readItemField(_ frame: Frame) {
        let text = frame.text
        let local = frame.localName
        let namespace = frame.namespace
        if !frame.hasChildren || frame.capturesMarkup, !text.isEmpty, item.elements[frame.qualifiedName] == nil {
            item.elements[frame.qualifiedName] = text
        }
        if Namespace.isAtom(namespace) || (format == .atom && namespace.isEmpty) {
            readAtomField(frame)
            return
        }
        switch namespace {
        case _ where Namespace.isRSSCore(namespace):
            switch local {
            case "title": item.title = PlainText.title(text)
            case "link": if !text.isEmpty, item.link == nil { item.link = FeedURL.resolve(text, against: frame.base) }
            case "description": if !text.isEmpty { item.summaryHTML = text }
            case "guid":
                if !text.isEmpty { item.id = text }
                let permalink = frame.attributes["isPermaLink"]?.lowercased() != "false"
                if permalink, item.link == nil, text.hasPrefix("http://") || text.hasPrefix("https://") {
                    guidLink = FeedURL.resolve(text, against: frame.base)
                }
            case "pubDate": item.published = date(text, field: frame.qualifiedName) ?? item.published
            case "author": if let name = authorName(text) { item.authors.append(name) }
            case "category": if !text.isEmpty { item.categories.append(PlainText.collapseWhitespace(text)) }
            case "body": keepFallback(text, in: &fallbackContent)
            case "abstract" where isCDF: if !text.isEmpty { item.summaryHTML = text }
            default: break
            }
        case Namespace.xhtml:
            if local == "body" { keepFallback(text, in: &fallbackContent) }
        case Namespace.itunes:
            if local == "summary" { keepFallback(text, in: &fallbackSummary) }
        case Namespace.media:
            readMediaField(frame)
        case Namespace.content:
            if local == "encoded", !text.isEmpty { item.contentHTML = text }
        case Namespace.dublinCore:
            switch local {
            case "creator": if let name = authorName(text) { item.authors.append(name) }
            case "date": if item.published == nil { item.published = date(text, field: frame.qualifiedName) }
            case "subject": if !text.isEmpty { item.categories.append(PlainText.collapseWhitespace(text)) }
            case "title": if item.title.isEmpty { item.title = PlainText.title(text) }
            case "description": keepFallback(text, in: &fallbackSummary)
            default: break
            }
        case Namespace.dublinCoreTerms:
            switch local {
            case "modified": item.updated = date(text, field: frame.qualifiedName)
            case "created", "issued":
                if item.published == nil { item.published = date(text, field: frame.qualifiedName) }
            default: break
            }
        case Namespace.event:
            let value = PlainText.collapseWhitespace(text)
            guard !value.isEmpty else { return }
            switch local {
            case "startdate":
                itemEvent.startText = value
                itemEvent.start = date(value, field: frame.qualifiedName)
            case "enddate":
                itemEvent.endText = value
                itemEvent.end = date(value, field: frame.qualifiedName)
            case "location": itemEvent.location = value
            case "organizer": itemEvent.organizer = value
            case "type": itemEvent.type = value
            default: break
            }
        default:
            break
        }
    }

    /// `media:title` and `media:description`, wherever they sit in the item.
    private func readMediaField(_ frame: Frame) {
        switch frame.localName {
        case "title": keepFallback(frame.text.trimmedWhitespace, in: &fallbackTitle)
        case "description": keepFallback(frame.text.trimmedWhitespace, in: &fallbackSummary)
        default: break
        }
    }

    private func keepFallback(_ text: String, in slot: inout String?) {
        if slot == nil, !text.isEmpty { slot = text }
    }

    private func readAtomField(_ frame: Frame) {
        var text = frame.text
        let type = frame.attributes["type"]?.lowercased() ?? "text"
        let isTextConstruct = ["title", "summary", "content"].contains(frame.localName)
        var decodedBase64 = false
        if isTextConstruct, AtomBase64.applies(type: type, mode: frame.attributes["mode"]) {
            guard let decoded = AtomBase64.decode(text) else {
                problems.append(
                    FeedProblem(
                        line: itemLine,
                        message:
                            "<\(frame.qualifiedName)> (\(TextEncoding.printable(type))) is not base64 of UTF-8 text; left out"
                    ))
                return
            }
            text = decoded
            decodedBase64 = true
        }
        // What the text is once decoded: HTML, XHTML (markup already serialised as HTML) or text.
        let isHTML = type == "html" || type.hasPrefix("text/html")
        let isXHTML = type == "xhtml" || type.hasPrefix("application/xhtml+xml")
        // Atom 0.3 puts markup in a title without saying so (its default mode is "xml").
        let isMarkup = isHTML || isXHTML || (type == "text" && frame.hasChildren && !decodedBase64)
        switch frame.localName {
        case "title":
            if isHTML && !decodedBase64 {
                item.title = PlainText.title(text)  // also undoes the double escaping real feeds do
            } else if isMarkup {
                item.title = PlainText.htmlTitle(text)
            } else {
                item.title = PlainText.collapseWhitespace(text)
            }
        case "link":
            let rel = frame.attributes["rel"] ?? "alternate"
            if rel == "alternate", item.link == nil, let href = frame.attributes["href"] {
                item.link = FeedURL.resolve(href, against: frame.base)
            }
        case "id": if !text.isEmpty { item.id = text }
        case "summary": if !text.isEmpty { item.summaryHTML = atomHTML(text, isMarkup: isMarkup) }
        case "content":
            let readable = isMarkup || type == "text" || type.hasPrefix("text/") || decodedBase64
            if frame.attributes["src"] == nil, !text.isEmpty, readable {
                item.contentHTML = atomHTML(text, isMarkup: isMarkup)
            }
        case "published", "issued": item.published = date(text, field: frame.qualifiedName)
        case "updated", "modified": item.updated = date(text, field: frame.qualifiedName)
        case "category":
            if let term = frame.attributes["term"] ?? frame.attributes["label"], !term.isEmpty {
                item.categories.append(term)
            }
        default: break
        }
    }

    private func atomHTML(_ text: String, isMarkup: Bool) -> String {
        isMarkup ? text : PlainText.escapeHTML(text).replacingOccurrences(of: "\n", with: "<br>\n")
    }

    /// RSS `author` is "email (Name)" by the spec; keep the name when there is one.
    private func authorName(_ text: String) -> String? {
        let value = PlainText.collapseWhitespace(text)
        guard !value.isEmpty else { return nil }
        if value.hasSuffix(")"), let open = value.firstIndex(of: "("), value[..<open].utf8.contains(UInt8(ascii: "@")) {
            let name = value[value.index(after: open)..<value.index(before: value.endIndex)]
            if !name.isEmpty { return String(name) }
        }
        return value
    }

    private func date(_ text: String, field: String) -> Date? {
        guard !text.isEmpty else { return nil }
        if let parsed = FeedDate.parse(text, timeZone: timeZone) { return parsed }
        problems.append(
            FeedProblem(line: itemLine, message: "unreadable date in <\(field)>: \"\(text.prefix(60))\"; left empty"))
        return nil
    }

    private func finishItem(_ frame: Frame, line: Int) {
        defer { guidLink = nil }
        if item.link == nil { item.link = guidLink }
        if item.title.isEmpty, let fallbackTitle { item.title = PlainText.title(fallbackTitle) }
        if item.contentHTML == nil { item.contentHTML = fallbackContent }
        if item.summaryHTML == nil && item.contentHTML == nil { item.summaryHTML = fallbackSummary }
        let hasContent =
            !item.title.isEmpty || item.link != nil || item.id != nil || item.summaryHTML != nil
            || item.contentHTML != nil
        guard hasContent else {
            problems.append(FeedProblem(line: itemLine, message: "skipped an item with no title, link, id or text"))
            return
        }
        if itemEvent != FeedEventInfo() { item.event = itemEvent }
        itemCount += 1
        guard itemCount <= limits.maximumItems else {
            if !reportedItemLimit {
                reportedItemLimit = true
                problems.append(
                    FeedProblem(line: itemLine, message: "more than \(limits.maximumItems) items; the rest are ignored")
                )
            }
            return
        }
        items.append(item)
        if let batches, items.count == batches.size {
            handedOut += items.count
            batches.handler(items)
            items = []
        }
    }
}
