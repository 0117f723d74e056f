import DigestSupport
import Foundation

/// RFC 2047 encoded words (`=?UTF-8?Q?…?=` and `=?UTF-8?B?…?=`) for non-ASCII header text.
///
/// Words are at most 75 characters, are split only between characters (never inside a UTF-8 sequence, and between
/// grapheme clusters where a cluster fits in one word), and carry spaces inside the word, because decoders drop the
/// whitespace between adjacent encoded words. The Q form uses only the characters RFC 2047 §5(3) allows in a phrase,
/// so the same words are valid in a Subject and in a display name.
public enum EncodedWord {
    /// The transfer encoding of an encoded word.
    public enum Encoding: Sendable, Hashable {
        /// The "Q" encoding, similar to quoted-printable; readable for mostly-ASCII text.
        case q
        /// The "B" encoding, base64; shorter for mostly non-ASCII text.
        case b
    }

    /// The longest encoded word RFC 2047 §2 allows.
    public static let maximumLength = 75

    /// Characters before and after the payload: `=?UTF-8?Q?` and `?=`.
    static let overhead = 12

    /// The text as a sequence of encoded words, to be joined by single spaces (or folding whitespace).
    ///
    /// - Parameters:
    ///   - text: The text to encode; it is not sanitized here.
    ///   - encoding: Q or B; `nil` picks Q (readable for Swedish and other mostly-Latin text) unless it would be more
    ///     than half as long again as B.
    ///   - firstWordLimit: The longest the first word may be, for fitting it after a header name; later words use
    ///     ``maximumLength``. A limit too small for the first character is ignored.
    /// - Returns: Encoded words, each at most 75 characters; empty for empty text.
    public static func encode(_ text: String, encoding: Encoding? = nil, firstWordLimit: Int = maximumLength)
        -> [String]
    {
        // Senders, list labels and subjects repeat across a run's messages; the words are worked out once each.
        cache.value(for: CacheKey(text: text, encoding: encoding, firstWordLimit: firstWordLimit)) {
            encodeWords(text, encoding: encoding, firstWordLimit: firstWordLimit)
        }
    }

    private struct CacheKey: Hashable, Sendable {
        let text: String
        let encoding: Encoding?
        let firstWordLimit: Int
    }

    private static let cache = BoundedCache<CacheKey, [String]>(capacity: 4_096)

    private static func encodeWords(_ text: String, encoding: Encoding?, firstWordLimit: Int) -> [String] {
        let bytes = Array(text.utf8)
        if bytes.isEmpty {
            return []
        }
        let qSize = qLength(bytes[...])
        let bSize = bLength(bytes.count)
        let chosen = encoding ?? (qSize <= bSize + bSize / 2 ? .q : .b)
        let units = splitIntoUnits(text, encoding: chosen)
        var words: [String] = []
        var current = Word(encoding: chosen)
        var limit = min(max(firstWordLimit, 0), maximumLength)
        for unit in units {
            if current.fits(adding: unit, limit: limit) {
                current.append(unit)
                continue
            }
            // Prefer to end the word just after a space, so a decoder that wrongly keeps the whitespace between
            // words (Python's address parser does) shows a doubled space rather than one inside a word.
            var carry = Word(encoding: chosen)
            if let space = current.units.lastIndex(of: [0x20]), space + 1 < current.units.count,
                space >= current.units.count / 2
            {
                for moved in current.units[(space + 1)...] {
                    carry.append(moved)
                }
                if carry.fits(adding: unit, limit: maximumLength) {
                    current = Word(encoding: chosen, units: current.units[...space])
                } else {
                    carry = Word(encoding: chosen)
                }
            }
            if !current.units.isEmpty {
                words.append(current.wrapped)
            }
            current = carry
            current.append(unit)
            limit = maximumLength
        }
        if !current.units.isEmpty {
            words.append(current.wrapped)
        }
        return words
    }

    /// Whether a whitespace-free word of header text has to be encoded: it holds non-ASCII or control characters,
    /// looks like an encoded word itself, or is too long to fold.
    static func needsEncoding(_ word: Substring) -> Bool {
        if word.utf8.count > 70 || word.contains("=?") {
            return true
        }
        return !word.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F }
    }

    /// An encoded word being filled, with its payload size kept up to date.
    private struct Word {
        let encoding: Encoding
        private(set) var units: [[UInt8]] = []
        private var byteCount = 0
        private var qSize = 0

        init(encoding: Encoding, units: ArraySlice<[UInt8]> = []) {
            self.encoding = encoding
            for unit in units {
                append(unit)
            }
        }

        mutating func append(_ unit: [UInt8]) {
            units.append(unit)
            byteCount += unit.count
            qSize += qLength(unit[...])
        }

        func fits(adding unit: [UInt8], limit: Int) -> Bool {
            let payload = encoding == .q ? qSize + qLength(unit[...]) : bLength(byteCount + unit.count)
            return overhead + payload <= limit
        }

        var wrapped: String {
            wrap(units.flatMap { $0 }, encoding: encoding)
        }
    }

    /// Grapheme clusters as UTF-8 byte groups; a cluster too long for one word is split into its scalars.
    private static func splitIntoUnits(_ text: String, encoding: Encoding) -> [[UInt8]] {
        var units: [[UInt8]] = []
        for character in text {
            let bytes = Array(character.utf8)
            if fits(bytes, encoding: encoding, limit: maximumLength) {
                units.append(bytes)
            } else {
                for scalar in character.unicodeScalars {
                    units.append(Array(String(scalar).utf8))
                }
            }
        }
        return units
    }

    private static func fits(_ bytes: [UInt8], encoding: Encoding, limit: Int) -> Bool {
        let payload = encoding == .q ? qLength(bytes[...]) : bLength(bytes.count)
        return overhead + payload <= limit
    }

    private static func isQSafe(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "!"), UInt8(ascii: "*"), UInt8(ascii: "+"),
            UInt8(ascii: "-"), UInt8(ascii: "/"), UInt8(ascii: " "):
            return true
        default:
            return false
        }
    }

    private static func qLength(_ bytes: ArraySlice<UInt8>) -> Int {
        bytes.reduce(0) { $0 + (isQSafe($1) ? 1 : 3) }
    }

    private static func bLength(_ count: Int) -> Int {
        (count + 2) / 3 * 4
    }

    private static func wrap(_ bytes: [UInt8], encoding: Encoding) -> String {
        switch encoding {
        case .b:
            return "=?UTF-8?B?" + Data(bytes).base64EncodedString() + "?="
        case .q:
            var payload = ""
            for byte in bytes {
                if byte == UInt8(ascii: " ") {
                    payload += "_"
                } else if isQSafe(byte) {
                    payload.unicodeScalars.append(Unicode.Scalar(byte))
                } else {
                    payload += "=" + HeaderText.hex(byte)
                }
            }
            return "=?UTF-8?Q?" + payload + "?="
        }
    }
}
