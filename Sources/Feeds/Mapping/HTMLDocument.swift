import CLibXML2
import Foundation

/// An HTML page parsed by libxml2's HTML parser (recovering, no network, no error output),
/// for XPath queries. Not Sendable (it owns the libxml2 tree); use it within one task. Frees the tree in deinit.
public final class HTMLDocument {
    /// The page's final URL as given to `init`.
    public let url: URL?
    /// The encoding the bytes were read in (lower case, e.g. "utf-8", "windows-1252").
    public let encoding: String
    /// The URL relative links resolve against: the first <base href> (itself resolved against `url`), else `url`.
    ///
    /// A `<base href>` that does not resolve to an http, https or file URL is ignored.
    public private(set) var baseURL: URL?

    let tree: xmlDocPtr
    private let context: xmlXPathContextPtr
    private var compiled: [String: xmlXPathCompExprPtr] = [:]

    /// Compiled expressions kept per document; past this many the cache starts over.
    private static let compiledCacheLimit = 256

    /// Parses `data`. Encoding: `charset` (e.g. from the HTTP Content-Type) if given, else a
    /// <meta charset> / <meta http-equiv content-type> in the first 2 KB, else UTF-8.
    /// `url` is the page's final URL (after redirects), used for resolving links.
    ///
    /// `charset` may also be a whole Content-Type value ("text/html; charset=utf-8"). A byte order mark wins over
    /// both, as in browsers; ISO-8859-1 is read as Windows-1252, and bytes that are not
    /// valid UTF-8 when UTF-8 is assumed are read as Windows-1252. Never fails: any input gives a (possibly empty)
    /// document.
    public init(data: Data, url: URL?, charset: String? = nil) {
        self.url = url
        let input = HTMLInput(data: data, charset: charset)
        encoding = input.encoding
        let bytes = input.bytes.count > Int(Int32.max) ? Array(input.bytes.prefix(Int(Int32.max))) : input.bytes
        LibXML2.prepare()
        let parsed: xmlDocPtr? = bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress, !buffer.isEmpty else { return nil }
            return base.withMemoryRebound(to: CChar.self, capacity: buffer.count) { pointer in
                digest_html_read(pointer, Int32(buffer.count), url?.absoluteString, input.libxml2Encoding)
            }
        }
        let tree = parsed ?? htmlNewDocNoDtD(nil, nil)!
        self.tree = tree
        // Numbering the elements once makes sorting node-sets into document order cheap.
        xmlXPathOrderDocElems(tree)
        context = xmlXPathNewContext(tree)!
        baseURL = url
        if let href = try? evaluate(Self.baseHref).texts.first, let base = FeedURL.resolve(href, against: url),
            ["http", "https", "file"].contains(base.scheme?.lowercased() ?? "")
        {
            baseURL = base
        }
    }

    deinit {
        for expression in compiled.values { xmlXPathFreeCompExpr(expression) }
        xmlXPathFreeContext(context)
        xmlFreeDoc(tree)
    }

    private static let baseHref = try! XPath("string((//base[@href])[1]/@href)")
    private static let scripts = try! XPath("//script[@type]")
    private static let mainCandidates = [
        try! XPath("(//main)[1]"),
        try! XPath("(//*[translate(normalize-space(@role),'MAIN','main')='main'])[1]"),
        try! XPath("(//article)[1]"),
        try! XPath("(//body)[1]"),
    ]

    /// Resolves `href` against `baseURL` (trimmed; nil for empty or javascript: links).
    public func resolve(_ href: String) -> URL? {
        let trimmed = href.trimmedWhitespace
        guard !trimmed.isEmpty else { return nil }
        // Browsers drop tabs and newlines from URLs, so "java\nscript:" is a javascript: link too.
        let scheme = trimmed.unicodeScalars.filter { $0 != "\t" && $0 != "\n" && $0 != "\r" }.prefix(11)
        if String(String.UnicodeScalarView(scheme)).lowercased() == "javascript:" { return nil }
        return FeedURL.resolve(trimmed, against: baseURL)
    }

    /// The document node (XPath context for absolute expressions).
    public var root: HTMLDocument.Node {
        Node(document: self, pointer: UnsafeMutableRawPointer(tree).assumingMemoryBound(to: xmlNode.self))
    }

    /// Evaluates `xpath` with `node` as the context node (the root when nil). A node-set gives at most `limit` nodes,
    /// in document order, and `truncated` tells whether more matched. Compiled expressions are cached per document.
    ///
    /// A node of another document is evaluated in its own document.
    public func evaluate(_ xpath: XPath, at node: Node? = nil, limit: Int = 100_000) throws(XPathError) -> XPathResult {
        if let node, node.document !== self {
            return try node.document.evaluate(xpath, at: node, limit: limit)
        }
        let contextNode: xmlNodePtr
        if let node {
            guard case .node(let pointer) = node.storage else {
                throw XPathError(expression: xpath.expression, reason: "a namespace node cannot be the context node")
            }
            contextNode = pointer
        } else {
            contextNode = UnsafeMutableRawPointer(tree).assumingMemoryBound(to: xmlNode.self)
        }
        let expression = try compiledExpression(xpath)
        var message = [CChar](repeating: 0, count: 512)
        let object = message.withUnsafeMutableBufferPointer { buffer in
            digest_xpath_eval(expression, context, contextNode, buffer.baseAddress, Int32(buffer.count))
        }
        guard let object else { throw XPathError(expression: xpath.expression, libxml2Message: message) }
        defer { xmlXPathFreeObject(object) }
        switch object.pointee.type {
        case XPATH_NODESET:
            return nodes(in: object.pointee.nodesetval, limit: limit)
        case XPATH_STRING:
            return .string(object.pointee.stringval.map { String(cString: $0) } ?? "")
        case XPATH_NUMBER:
            return .number(object.pointee.floatval)
        case XPATH_BOOLEAN:
            return .boolean(object.pointee.boolval != 0)
        default:
            // Points, ranges and result trees come only from XPointer and XSLT, which are not used here.
            throw XPathError(expression: xpath.expression, reason: "Invalid type")
        }
    }

    private func compiledExpression(_ xpath: XPath) throws(XPathError) -> xmlXPathCompExprPtr {
        if let cached = compiled[xpath.expression] { return cached }
        let result = XPath.compile(xpath.expression, context: context)
        switch result {
        case .success(let expression):
            if compiled.count >= Self.compiledCacheLimit {
                for old in compiled.values { xmlXPathFreeCompExpr(old) }
                compiled.removeAll()
            }
            compiled[xpath.expression] = expression
            return expression
        case .failure(let error):
            throw error
        }
    }

    private func nodes(in set: xmlNodeSetPtr?, limit: Int) -> XPathResult {
        let count = Int(set?.pointee.nodeNr ?? 0)
        let taken = max(0, min(limit, count))
        var result: [Node] = []
        result.reserveCapacity(taken)
        for index in 0..<taken {
            guard let pointer = digest_nodeset_item(set, Int32(index)) else { continue }
            if pointer.pointee.type == XML_NAMESPACE_DECL {
                // libxml2 copies namespace nodes into the node-set and frees them with it, so keep their values.
                let namespace = UnsafeMutableRawPointer(pointer).assumingMemoryBound(to: xmlNs.self)
                let prefix = namespace.pointee.prefix.map { String(cString: $0) } ?? ""
                let uri = namespace.pointee.href.map { String(cString: $0) } ?? ""
                result.append(Node(document: self, storage: .namespace(prefix: prefix, uri: uri)))
            } else {
                result.append(Node(document: self, pointer: pointer))
            }
        }
        return .nodes(result, truncated: count > taken)
    }

    /// The text of every <script type="application/ld+json"> (type compared case-insensitively, parameters ignored),
    /// in document order.
    public func jsonLDBlocks() -> [String] {
        guard case .nodes(let scripts, _)? = try? evaluate(Self.scripts, limit: 10_000) else { return [] }
        return scripts.compactMap { script in
            guard let type = script.attribute("type") else { return nil }
            let mediaType = type.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            guard String(mediaType).trimmedWhitespace.lowercased() == "application/ld+json" else { return nil }
            return script.textContent
        }
    }

    /// The readable text of the page's main content, for scanning for dates: the first <main>, else
    /// [role=main], else the first <article>, else <body>, with nav/header/footer/aside/script/style/form left out,
    /// converted like HTMLText.plainText (blocks on their own lines).
    ///
    /// Only the page's own header and footer are left out (those not inside an article, aside, main, nav or section,
    /// like ARIA's banner and contentinfo): an article's header often holds its date. Elements with the ARIA roles
    /// navigation, banner, contentinfo, complementary or search are left out too.
    public func mainText() -> String {
        var container: xmlNodePtr?
        for candidate in Self.mainCandidates {
            if case .nodes(let found, _)? = try? evaluate(candidate, limit: 1), let first = found.first,
                case .node(let pointer) = first.storage
            {
                container = pointer
                break
            }
        }
        guard let container = container ?? xmlDocGetRootElement(tree) else { return "" }
        guard let copy = xmlDocCopyNode(container, tree, 1) else { return "" }
        defer { xmlFreeNode(copy) }
        MainContent.prune(copy, sectioned: MainContent.isSectioned(container))
        let html = HTMLDocument.serialize(tree, copy, includingNode: false)
        return HTMLText.plainText(html, baseURL: baseURL)
    }

    /// `node`'s children (or the node itself) as HTML.
    static func serialize(_ tree: xmlDocPtr, _ node: xmlNodePtr, includingNode: Bool) -> String {
        guard let buffer = digest_html_dump(tree, node, includingNode ? 1 : 0) else { return "" }
        defer { xmlBufferFree(buffer) }
        guard let content = xmlBufferContent(buffer) else { return "" }
        let length = Int(xmlBufferLength(buffer))
        return String(decoding: UnsafeBufferPointer(start: content, count: length), as: UTF8.self)
    }
}

/// The parts of a page that `mainText` leaves out.
private enum MainContent {
    static let dropped: Set<String> = ["nav", "aside", "script", "style", "form", "noscript", "template"]
    static let pageLevel: Set<String> = ["header", "footer"]
    static let sectioning: Set<String> = ["article", "aside", "main", "nav", "section"]
    static let droppedRoles: Set<String> = ["navigation", "banner", "contentinfo", "complementary", "search"]

    /// Whether `node` is, or is inside, sectioning content or the main content.
    static func isSectioned(_ node: xmlNodePtr) -> Bool {
        var current: xmlNodePtr? = node
        while let element = current {
            if element.pointee.type == XML_ELEMENT_NODE {
                if sectioning.contains(name(element)) || role(element) == "main" { return true }
            }
            current = element.pointee.parent
        }
        return false
    }

    /// Unlinks and frees the left-out descendants of `root` (a detached copy).
    static func prune(_ root: xmlNodePtr, sectioned: Bool) {
        var removed: [xmlNodePtr] = []
        var stack: [(xmlNodePtr, Bool)] = [(root, sectioned)]
        while let (node, inSection) = stack.popLast() {
            var child = node.pointee.children
            while let current = child {
                child = current.pointee.next
                guard current.pointee.type == XML_ELEMENT_NODE else { continue }
                let name = name(current)
                let role = role(current)
                if dropped.contains(name) || droppedRoles.contains(role) || (!inSection && pageLevel.contains(name)) {
                    removed.append(current)
                } else {
                    stack.append((current, inSection || sectioning.contains(name) || role == "main"))
                }
            }
        }
        for node in removed {
            xmlUnlinkNode(node)
            xmlFreeNode(node)
        }
    }

    static func name(_ node: xmlNodePtr) -> String {
        node.pointee.name.map { String(cString: $0).lowercased() } ?? ""
    }

    static func role(_ node: xmlNodePtr) -> String {
        guard let value = xmlGetProp(node, "role") else { return "" }
        defer { digest_xml_free(value) }
        return String(cString: value).trimmedWhitespace.lowercased()
    }
}
