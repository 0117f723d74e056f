import Foundation

/// Helpers that make arbitrary caller text safe to place in a header field.
///
/// Every header value the module writes passes through ``sanitized(_:)`` first, so a CR, LF or any other control
/// character in caller input can never start a new header field or end the header section.
enum HeaderText {
    /// The text with every control character (C0, DEL, C1, U+2028, U+2029) replaced by a space, runs of whitespace
    /// collapsed to one space, leading and trailing whitespace removed, and the result in Unicode NFC.
    static func sanitized(_ text: String) -> String {
        if isCleanASCII(text) { return text }
        var scalars = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in UnicodeNormalization.nfc(text).unicodeScalars {
            if isSpaceLike(scalar) {
                pendingSpace = !scalars.isEmpty
                continue
            }
            if pendingSpace {
                scalars.append(" ")
                pendingSpace = false
            }
            scalars.append(scalar)
        }
        return String(scalars)
    }

    /// Whether `text` is printable ASCII with single spaces between words only: already sanitized.
    private static func isCleanASCII(_ text: String) -> Bool {
        var previousWasSpace = true
        for byte in text.utf8 {
            if byte == 0x20 {
                if previousWasSpace { return false }
                previousWasSpace = true
            } else if byte > 0x20 && byte < 0x7F {
                previousWasSpace = false
            } else {
                return false
            }
        }
        return !previousWasSpace || text.isEmpty
    }

    /// Whether the scalar is whitespace or a control character that must never appear raw in a header.
    static func isSpaceLike(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x20, 0x7F...0xA0, 0x2028, 0x2029, 0x1680, 0x2000...0x200A, 0x202F, 0x205F, 0x3000, 0xFEFF:
            return true
        default:
            return false
        }
    }

    /// Whether the text is printable US-ASCII (0x21–0x7E) and spaces only.
    static func isPrintableASCII(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
    }

    /// RFC 5322 `atext`: the characters an atom may contain without quoting.
    static func isAtext(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "!#$%&'*+-/=?^_`{|}~".utf8.contains(byte)
        }
    }

    /// The text as an RFC 5322 quoted-string, with `"` and `\` escaped. The text must already be sanitized.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for character in text {
            if character == "\"" || character == "\\" {
                result.append("\\")
            }
            result.append(character)
        }
        result.append("\"")
        return result
    }

    /// The text reduced to bytes that are safe inside an angle-bracketed URI or msg-id: printable ASCII without
    /// spaces, `<`, `>` or `"`; any other byte is percent-encoded.
    static func uriSafe(_ text: String) -> String {
        func isSafe(_ byte: UInt8) -> Bool {
            byte > 0x20 && byte < 0x7F && byte != UInt8(ascii: "<") && byte != UInt8(ascii: ">")
                && byte != UInt8(ascii: "\"")
        }
        if text.utf8.allSatisfy(isSafe) { return text }
        var result: [UInt8] = []
        result.reserveCapacity(text.utf8.count + 16)
        for byte in text.utf8 {
            if isSafe(byte) {
                result.append(byte)
            } else {
                result += [UInt8(ascii: "%"), hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: result, as: UTF8.self)
    }

    /// The upper-case hexadecimal digits as ASCII bytes.
    static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

    /// Two upper-case hexadecimal digits for the byte.
    static func hex(_ byte: UInt8) -> String {
        String(decoding: [hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]], as: UTF8.self)
    }
}
