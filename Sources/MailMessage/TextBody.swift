/// Whole lines of text, normalised to NFC and quoted-printable encoded once, so that text many messages share (a
/// paragraph, an item of a newsletter) is encoded once and then copied into each ``TextBody``.
///
/// A class, so that each body holding it shares it at the cost of one reference, not one per stored property.
public final class EncodedLines: Sendable {
    /// The text.
    public let text: String
    /// The quoted-printable encoding of ``text`` in NFC.
    let encoded: [UInt8]
    /// Whether ``text`` ends with a line feed: only then can its encoding be joined to other encoded lines.
    let endsWithLineFeed: Bool

    /// `text` (any line breaks), normalised and encoded.
    public init(_ text: String) {
        self.text = text
        self.encoded = QuotedPrintable.encode(bytes: Array(UnicodeNormalization.nfc(text).utf8))
        self.endsWithLineFeed = text.utf8.last == 0x0A
    }

    /// The length of ``text`` in UTF-8 bytes.
    public var utf8Count: Int { text.utf8.count }
}

/// The text of a message body, put together from plain text and ``EncodedLines``.
///
/// It encodes to exactly the bytes its whole ``text`` would: encoded lines are copied where they start a line and end
/// with a line feed (quoted-printable and NFC both work line by line there), and are encoded again with their
/// neighbours anywhere else.
public struct TextBody: Sendable, ExpressibleByStringLiteral {
    enum Piece: Sendable {
        case text(String)
        case lines(EncodedLines)
    }

    private(set) var pieces: [Piece] = []

    /// A body holding `text`.
    public init(_ text: String = "") {
        if !text.isEmpty { pieces = [.text(text)] }
    }

    /// A body holding the literal.
    public init(stringLiteral value: String) {
        self.init(value)
    }

    /// Adds `text` at the end.
    public mutating func append(_ text: String) {
        guard !text.isEmpty else { return }
        if case .text(let last)? = pieces.last {
            pieces[pieces.count - 1] = .text(last + text)
        } else {
            pieces.append(.text(text))
        }
    }

    /// Adds `lines` at the end.
    public mutating func append(_ lines: EncodedLines) {
        guard !lines.text.isEmpty else { return }
        pieces.append(.lines(lines))
    }

    /// The whole text.
    public var text: String {
        var result = ""
        result.reserveCapacity(utf8Count)
        for piece in pieces {
            switch piece {
            case .text(let text): result += text
            case .lines(let lines): result += lines.text
            }
        }
        return result
    }

    /// The length of ``text`` in UTF-8 bytes.
    public var utf8Count: Int {
        pieces.reduce(0) { total, piece in
            switch piece {
            case .text(let text): total + text.utf8.count
            case .lines(let lines): total + lines.utf8Count
            }
        }
    }

    /// The whole text in NFC, quoted-printable encoded.
    func quotedPrintable() -> [UInt8] {
        var output: [UInt8] = []
        writeQuotedPrintable(into: &output)
        return output
    }

    /// Appends the whole text in NFC, quoted-printable encoded, to `output`.
    func writeQuotedPrintable(into output: inout [UInt8]) {
        var pending = ""
        func flush() {
            guard !pending.isEmpty else { return }
            var normalized = UnicodeNormalization.nfc(pending)
            normalized.withUTF8 { QuotedPrintable.encode(bytes: $0, into: &output) }
            pending = ""
        }
        var atLineStart = true
        for piece in pieces {
            switch piece {
            case .text(let text):
                pending += text
            case .lines(let lines):
                let pendingEndsLine = pending.isEmpty ? atLineStart : pending.utf8.last == 0x0A
                if lines.endsWithLineFeed && pendingEndsLine {
                    flush()
                    output += lines.encoded
                    atLineStart = true
                } else {
                    pending += lines.text
                }
            }
        }
        flush()
    }
}
