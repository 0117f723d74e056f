import CLibXML2
import DigestSupport

/// Receives a `SAXParser`'s events in document order, on the parsing thread.
protocol SAXHandler: AnyObject {
    /// An element starts. `name` is its local name, `qualifiedName` the name as written (`prefix:local`),
    /// `namespaceURI` its namespace or "" when it has none; attribute keys are written names (`xml:base`, `href`),
    /// namespace declarations left out, values with their references expanded.
    func parser(
        _ parser: SAXParser, didStartElement name: String, namespaceURI: String, qualifiedName: String,
        attributes: [String: String])
    /// An element ends; the names are as in `didStartElement`.
    func parser(_ parser: SAXParser, didEndElement name: String, namespaceURI: String, qualifiedName: String)
    /// Text, or the content of a CDATA section; one run of text may come in several pieces.
    func parser(_ parser: SAXParser, foundCharacters string: String)
}

/// A streaming, namespace-aware XML 1.0 parser on libxml2's SAX2 interface.
///
/// Reads UTF-8 bytes from memory, without building a tree. Only the five predefined entities are
/// expanded, no DTD is loaded and nothing is fetched, so hostile documents cannot expand or reach out. Like a
/// browser reading a feed, it recovers from what breaks well-formedness (a mismatched end tag, a stray `<`) and goes
/// on to the end, reporting the first such error; an undeclared namespace prefix is not one (the name keeps its
/// prefix and no namespace). Used once, on one thread.
final class SAXParser {
    /// Why a document is not well-formed, and the line libxml2 was reading.
    struct Failure: Equatable {
        var message: String
        var line: Int
    }

    private unowned let handler: any SAXHandler
    private var context: xmlParserCtxtPtr?
    /// Strings for the names libxml2 keeps in its dictionary, by address: each name is converted once per parse.
    private var names: [UnsafeRawPointer: String] = [:]
    private var failure: Failure?
    private var aborted = false
    private var lastLine = 0

    /// Creates a parser that reports to `handler`, which it does not retain.
    init(handler: any SAXHandler) {
        self.handler = handler
    }

    /// The line being read (1-based), or the last line read once the parse is over.
    var lineNumber: Int {
        guard let context else { return lastLine }
        return Int(digest_sax_line(context))
    }

    /// Stops the parse from inside a handler's call: no events follow, and `parse` reports no error for it.
    func abortParsing() {
        guard let context, !aborted else { return }
        aborted = true
        lastLine = lineNumber
        xmlStopParser(context)
    }

    /// Parses `bytes`, UTF-8 whatever the XML declaration says; returns why the document is not well-formed, or nil
    /// when it is (or the handler aborted).
    func parse(_ bytes: [UInt8]) -> Failure? {
        LibXML2.prepare()
        guard !bytes.isEmpty else { return Failure(message: "the document is empty", line: 1) }
        guard bytes.count < Int(Int32.max) else {
            return Failure(message: "the document is too large for the XML parser", line: 0)
        }
        var events = xmlSAXHandler()
        events.initialized = XML_SAX2_MAGIC
        events.startElementNs = { user, localName, prefix, uri, _, _, attributeCount, _, attributes in
            guard let user, let localName else { return }
            Unmanaged<SAXParser>.fromOpaque(user).takeUnretainedValue().startElement(
                localName, prefix, uri, Int(attributeCount), attributes)
        }
        events.endElementNs = { user, localName, prefix, uri in
            guard let user, let localName else { return }
            Unmanaged<SAXParser>.fromOpaque(user).takeUnretainedValue().endElement(localName, prefix, uri)
        }
        events.characters = { user, text, length in
            guard let user, let text else { return }
            Unmanaged<SAXParser>.fromOpaque(user).takeUnretainedValue().characters(text, Int(length))
        }
        events.ignorableWhitespace = events.characters
        events.cdataBlock = events.characters
        events.serror = { user, error in
            guard let user, let error else { return }
            Unmanaged<SAXParser>.fromOpaque(user).takeUnretainedValue().record(error.pointee)
        }
        let user = Unmanaged.passUnretained(self).toOpaque()
        let created = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                withUnsafePointer(to: &events) { digest_sax_context($0, user, chars.baseAddress, Int32(chars.count)) }
            }
        }
        guard let created else { return Failure(message: "out of memory", line: 0) }
        context = created
        let status = xmlParseDocument(created)
        if !aborted { lastLine = lineNumber }
        let wellFormed = created.pointee.wellFormed != 0
        let code = created.pointee.errNo
        context = nil
        xmlFreeParserCtxt(created)
        if aborted { return nil }
        if let failure { return failure }
        if status != 0 || !wellFormed { return Failure(message: "libxml2 error \(code)", line: lastLine) }
        return nil
    }

    // MARK: - Events

    private typealias Name = UnsafePointer<xmlChar>

    private func startElement(
        _ localName: Name, _ prefix: Name?, _ uri: Name?, _ attributeCount: Int,
        _ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
    ) {
        let local = name(localName)
        let qualified = prefix.map { name($0) + ":" + local } ?? local
        var dictionary: [String: String] = [:]
        if attributeCount > 0, let attributes {
            dictionary.reserveCapacity(attributeCount)
            for index in stride(from: 0, to: attributeCount * 5, by: 5) {
                guard let attributeName = attributes[index] else { continue }
                var key = name(attributeName)
                if let attributePrefix = attributes[index + 1], attributePrefix.pointee != 0 {
                    key = name(attributePrefix) + ":" + key
                }
                guard let start = attributes[index + 3], let end = attributes[index + 4] else { continue }
                dictionary[key] = String(
                    decoding: UnsafeBufferPointer(start: start, count: max(end - start, 0)), as: UTF8.self)
            }
        }
        handler.parser(
            self, didStartElement: local, namespaceURI: uri.map(name) ?? "", qualifiedName: qualified,
            attributes: dictionary)
    }

    private func endElement(_ localName: Name, _ prefix: Name?, _ uri: Name?) {
        let local = name(localName)
        let qualified = prefix.map { name($0) + ":" + local } ?? local
        handler.parser(self, didEndElement: local, namespaceURI: uri.map(name) ?? "", qualifiedName: qualified)
    }

    private func characters(_ text: Name, _ length: Int) {
        handler.parser(
            self, foundCharacters: String(decoding: UnsafeBufferPointer(start: text, count: length), as: UTF8.self))
    }

    /// Keeps the first fatal error: a well-formedness error, as opposed to a namespace error or a warning.
    private func record(_ error: xmlError) {
        guard failure == nil, !aborted, error.level == XML_ERR_FATAL else { return }
        // libxml2 quotes the document (element names): one line, at most 200 characters.
        let message =
            error.message.map { PrintableText.oneLine(String(String(cString: $0).trimmedWhitespace.prefix(200))) } ?? ""
        failure = Failure(
            message: message.isEmpty ? "libxml2 error \(error.code)" : message,
            line: error.line > 0 ? Int(error.line) : lineNumber)
    }

    /// A name as a String, converted once per parse when libxml2's dictionary holds it.
    private func name(_ pointer: Name) -> String {
        let key = UnsafeRawPointer(pointer)
        if let known = names[key] { return known }
        let string = String(cString: pointer)
        if let context, digest_sax_dict_owns(context, pointer) != 0 { names[key] = string }
        return string
    }
}
