import Foundation

/// Checks one finished digest for what breaks or spoils it in mail clients: over-long lines, a clipped HTML body, a
/// missing `List-Unsubscribe`, unsafe links, images without `alt`, over-wide plain text and empty sections.
///
/// The checks read the rendered output only (the message bytes, the HTML and the text), so they apply to whatever
/// the templates make. They never throw and never crash on any input.
public struct DigestLint: Sendable {
    /// One kind of check.
    public enum Check: String, Sendable, Hashable, CaseIterable {
        /// A line of the message over 998 octets (RFC 5322 §2.1.1 forbids it; relays break such lines).
        case longMessageLine
        /// An HTML body larger than `htmlLimit` bytes (Gmail clips large messages).
        case htmlTooLarge
        /// No `List-Unsubscribe` header (RFC 2369; large mailbox providers require it).
        case missingListUnsubscribe
        /// A link whose scheme is not http, https or mailto.
        case unsafeLink
        /// An `<img>` without an `alt` attribute.
        case imageWithoutAlt
        /// A plain-text line wider than `textColumns` characters that could have been wrapped.
        case longTextLine
        /// A heading with nothing under it before the next heading or the end of its section.
        case emptySection
    }

    /// One problem found.
    public struct Finding: Sendable, Hashable, CustomStringConvertible {
        /// Which check found it.
        public var check: Check
        /// What is wrong and where, for an editor.
        public var message: String

        /// A finding of `check`.
        public init(check: Check, message: String) {
            self.check = check
            self.message = message
        }

        /// The message.
        public var description: String { message }
    }

    /// The largest HTML body, in bytes, that passes.
    public var htmlLimit: Int
    /// The widest plain-text line, in characters, that passes.
    public var textColumns: Int
    /// The longest message line, in octets without the CRLF, that passes.
    public var messageLineOctets: Int
    /// The language of the findings' messages.
    public var language: Language

    /// A lint with the usual limits: 90 000 bytes of HTML, 78 columns of text, 998 octets a line.
    public init(htmlLimit: Int = 90_000, textColumns: Int = 78, messageLineOctets: Int = 998, language: Language = .sv)
    {
        self.htmlLimit = htmlLimit
        self.textColumns = textColumns
        self.messageLineOctets = messageLineOctets
        self.language = language
    }

    private var phrases: OperatorText { OperatorText(language) }

    /// Every finding for a digest: its whole `message` (headers and body), its `html` and its `text`.
    public func check(message: [UInt8], html: String, text: String) -> [Finding] {
        checkMessage(message) + checkHTML(html) + checkText(text)
    }

    /// Every finding for a built digest.
    public func check(_ digest: BuiltDigest) -> [Finding] {
        check(message: digest.message.bytes, html: digest.rendered.html, text: digest.rendered.text)
    }

    /// Long lines and a missing `List-Unsubscribe` in the raw message.
    public func checkMessage(_ bytes: [UInt8]) -> [Finding] {
        var findings: [Finding] = []
        var longLines: [Int] = []
        var lineNumber = 1
        var length = 0
        for byte in bytes {
            if byte == 0x0A {
                if length > messageLineOctets { longLines.append(lineNumber) }
                lineNumber += 1
                length = 0
            } else if byte != 0x0D {
                length += 1
            }
        }
        if length > messageLineOctets { longLines.append(lineNumber) }
        if !longLines.isEmpty {
            findings.append(
                Finding(
                    check: .longMessageLine,
                    message: phrases.longMessageLines(
                        longLines.count, limit: messageLineOctets, lines: Self.list(longLines))
                ))
        }
        if !Self.headerNames(of: bytes).contains("list-unsubscribe") {
            findings.append(
                Finding(check: .missingListUnsubscribe, message: phrases.missingListUnsubscribe))
        }
        return findings
    }

    /// A large body, unsafe links, images without `alt` and empty sections in the HTML.
    public func checkHTML(_ html: String) -> [Finding] {
        var findings: [Finding] = []
        let size = html.utf8.count
        if size > htmlLimit {
            findings.append(
                Finding(
                    check: .htmlTooLarge,
                    message: phrases.htmlTooLarge(size, limit: htmlLimit)
                ))
        }
        let tags = HTMLTagScanner.scan(html)
        for tag in tags where tag.kind == .open {
            if tag.name == "a" || tag.name == "area", let href = tag.attributes["href"] {
                if !Self.isSafeLink(href) {
                    findings.append(
                        Finding(
                            check: .unsafeLink,
                            message: phrases.unsafeLink(Self.shortened(href))
                        ))
                }
            }
            if tag.name == "img", tag.attributes["alt"] == nil {
                let source = tag.attributes["src"].map { " (\(Self.shortened($0)))" } ?? ""
                findings.append(
                    Finding(check: .imageWithoutAlt, message: phrases.imageWithoutAlt(source)))
            }
        }
        for heading in Self.emptyHeadings(in: tags) {
            findings.append(
                Finding(
                    check: .emptySection,
                    message: phrases.emptySection(Self.shortened(heading))
                ))
        }
        return findings
    }

    /// Lines wider than `textColumns` in the plain text. A line of one word (a long link on its own line) cannot be
    /// wrapped and passes.
    public func checkText(_ text: String) -> [Finding] {
        var wide: [Int] = []
        var lineNumber = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let trimmed = line.hasSuffix("\r") ? line.dropLast() : line
            let words = trimmed.drop(while: \.isWhitespace)
            if trimmed.count > textColumns, words.contains(where: \.isWhitespace) { wide.append(lineNumber) }
        }
        guard !wide.isEmpty else { return [] }
        return [
            Finding(
                check: .longTextLine,
                message: phrases.longTextLines(wide.count, limit: textColumns, lines: Self.list(wide))
            )
        ]
    }

    /// Whether `href` (as written in the attribute) is http, https or mailto.
    static func isSafeLink(_ href: String) -> Bool {
        let trimmed = href.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        return trimmed.hasPrefix("http://") || trimmed.hasPrefix("https://") || trimmed.hasPrefix("mailto:")
    }

    /// The lower-cased names of the header fields of a raw message (up to the first empty line).
    static func headerNames(of bytes: [UInt8]) -> Set<String> {
        var names: Set<String> = []
        var line: [UInt8] = []
        for byte in bytes {
            if byte == 0x0A {
                if line.last == 0x0D { line.removeLast() }
                if line.isEmpty { break }
                if let first = line.first, first != 0x20, first != 0x09, let colon = line.firstIndex(of: 0x3A) {
                    names.insert(String(decoding: line[..<colon], as: UTF8.self).lowercased())
                }
                line.removeAll(keepingCapacity: true)
            } else {
                line.append(byte)
            }
        }
        return names
    }

    /// The text of each heading (`h1`–`h6`) with no text or image under it before the next heading of the same or a
    /// higher rank, or before the element that holds the heading closes.
    static func emptyHeadings(in tags: [HTMLTagScanner.Token]) -> [String] {
        struct Open {
            var rank: Int
            var title: String
            var depth: Int
            var hasContent: Bool
        }
        var empty: [String] = []
        var stack: [String] = []
        var inHeading: (rank: Int, title: String)?
        var pending: [Open] = []
        func close(where condition: (Open) -> Bool) {
            while let last = pending.last, condition(last) {
                if !last.hasContent { empty.append(last.title) }
                pending.removeLast()
            }
        }
        for token in tags {
            switch token.kind {
            case .open:
                if let rank = Self.headingRank(token.name) {
                    close { $0.rank >= rank }
                    inHeading = (rank, "")
                } else if token.name == "img" {
                    for index in pending.indices { pending[index].hasContent = true }
                }
                if !HTMLTagScanner.voidElements.contains(token.name) { stack.append(token.name) }
            case .close:
                if let rank = Self.headingRank(token.name), let heading = inHeading, heading.rank == rank {
                    if let index = stack.lastIndex(of: token.name) { stack.removeSubrange(index...) }
                    let title = heading.title.trimmingCharacters(in: .whitespacesAndNewlines)
                    pending.append(Open(rank: rank, title: title, depth: stack.count, hasContent: false))
                    inHeading = nil
                    continue
                }
                if let index = stack.lastIndex(of: token.name) {
                    stack.removeSubrange(index...)
                    close { $0.depth > stack.count }
                }
            case .text:
                if inHeading != nil {
                    inHeading?.title += token.text
                } else if !token.text.allSatisfy(\.isWhitespace) {
                    for index in pending.indices { pending[index].hasContent = true }
                }
            }
        }
        close { _ in true }
        return empty
    }

    static func headingRank(_ name: String) -> Int? {
        guard name.count == 2, name.first == "h", let digit = name.last?.wholeNumberValue, (1...6).contains(digit)
        else { return nil }
        return digit
    }

    static func list(_ numbers: [Int]) -> String {
        let shown = numbers.prefix(5).map(String.init).joined(separator: ", ")
        return numbers.count > 5 ? shown + ", …" : shown
    }

    static func shortened(_ text: String) -> String {
        text.count > 60 ? String(text.prefix(57)) + "…" : text
    }
}
