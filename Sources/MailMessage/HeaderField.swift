/// One header field being written, folded at whitespace to lines of at most 78 characters (RFC 5322 §2.2.3).
///
/// Tokens are joined by single spaces; each of those spaces is a place the field may be folded. A token is never
/// split, except by the last-resort rule that keeps every line at most 998 octets (RFC 5322 §2.1.1).
struct HeaderField {
    /// The preferred longest line, without CRLF.
    static let preferredLineLength = 78
    /// The hard limit for a line, without CRLF.
    static let maximumLineLength = 998

    private var lines: [String] = []
    private var current: String
    private var hasValue = false

    /// Starts a field with the given name; the name must be a valid field name.
    init(name: String) {
        current = name + ":"
    }

    /// Appends a token after a space, folding before it when the line would grow past 78 characters.
    mutating func append(_ token: String) {
        if token.isEmpty {
            return
        }
        if hasValue && current.utf8.count + 1 + token.utf8.count > Self.preferredLineLength {
            lines.append(current)
            current = " " + token
        } else {
            current += " " + token
        }
        hasValue = true
    }

    /// Appends each token in order.
    mutating func append(contentsOf tokens: [String]) {
        for token in tokens {
            append(token)
        }
    }

    /// Appends text as RFC 2047 encoded words, the first sized to fit the current line where it can.
    ///
    /// With `preferSingleWord`, text that fits in one encoded word is kept in one (folding before it if needed):
    /// used for display names, because some decoders (Python's address parser among them) wrongly keep the
    /// whitespace between adjacent encoded words in a phrase.
    mutating func appendEncoded(_ text: String, preferSingleWord: Bool = false) {
        if preferSingleWord {
            let single = EncodedWord.encode(text)
            if single.count == 1 {
                append(single[0])
                return
            }
        }
        let available = Self.preferredLineLength - current.utf8.count - 1
        let firstLimit = available >= 24 ? min(EncodedWord.maximumLength, available) : EncodedWord.maximumLength
        append(contentsOf: EncodedWord.encode(text, firstWordLimit: firstLimit))
    }

    /// Appends unstructured text (RFC 5322 §3.2.5): sanitized, with the run of words from the first to the last one
    /// that needs it written as encoded words and the ASCII words around that run left readable.
    mutating func appendUnstructured(_ text: String) {
        let clean = HeaderText.sanitized(text)
        let words = clean.split(separator: " ", omittingEmptySubsequences: true)
        guard let first = words.firstIndex(where: EncodedWord.needsEncoding),
            let last = words.lastIndex(where: EncodedWord.needsEncoding)
        else {
            append(contentsOf: words.map(String.init))
            return
        }
        append(contentsOf: words[..<first].map(String.init))
        appendEncoded(words[first...last].joined(separator: " "))
        append(contentsOf: words[(last + 1)...].map(String.init))
    }

    /// The folded field, CRLF-terminated.
    var rendered: String {
        var result = ""
        for line in lines + [current] {
            for (index, piece) in Self.hardSplit(line).enumerated() {
                result += (index == 0 ? "" : " ") + piece + "\r\n"
            }
        }
        return result
    }

    /// Splits a line longer than 998 octets into pieces short enough to be continued with a leading space.
    private static func hardSplit(_ line: String) -> [String] {
        if line.utf8.count <= maximumLineLength {
            return [line]
        }
        var pieces: [String] = []
        var piece = ""
        var length = 0
        for character in line {
            let size = character.utf8.count
            if length + size > maximumLineLength - 10 {
                pieces.append(piece)
                piece = ""
                length = 0
            }
            piece.append(character)
            length += size
        }
        pieces.append(piece)
        return pieces
    }
}
