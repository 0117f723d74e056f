import Foundation

/// Decodes a document's bytes to UTF-8 from the charset its BOM, XML declaration or HTTP header names.
///
/// ISO-8859-1 is read as Windows-1252 (as browsers and feedparser do: real "Latin-1" feeds carry curly quotes and
/// dashes in 0x80–0x9F); ISO-8859-15 and UTF-16 are understood too. Bytes that are not valid in the declared
/// UTF-8 are re-read as Windows-1252 and reported.
enum TextEncoding {
    /// The outcome of `decode`: UTF-8 bytes without BOM, the encoding used and any repair.
    struct Decoded {
        var bytes: [UInt8]
        var encoding: String
        var problems: [FeedProblem]
    }

    /// Which charset the document's first bytes declare: a BOM wins, then `encoding="…"` in an XML declaration.
    static func declaredCharset(_ bytes: [UInt8]) -> (charset: String?, bomLength: Int) {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return ("utf-8", 3) }
        if bytes.starts(with: [0xFF, 0xFE]) { return ("utf-16le", 2) }
        if bytes.starts(with: [0xFE, 0xFF]) { return ("utf-16be", 2) }
        if bytes.starts(with: [0x3C, 0x00, 0x3F, 0x00]) { return ("utf-16le", 0) }
        if bytes.starts(with: [0x00, 0x3C, 0x00, 0x3F]) { return ("utf-16be", 0) }
        guard let declaration = xmlDeclarationRange(bytes) else { return (nil, 0) }
        let text = String(decoding: bytes[declaration], as: UTF8.self)
        guard let range = text.range(of: "encoding") else { return (nil, 0) }
        var rest = text[range.upperBound...].drop { $0 == " " || $0 == "=" || $0 == "\t" }
        guard let quote = rest.first, quote == "\"" || quote == "'" else { return (nil, 0) }
        rest = rest.dropFirst()
        let value = rest.prefix { $0 != quote }
        return (value.isEmpty ? nil : value.lowercased(), 0)
    }

    /// The byte range of a leading `<?xml … ?>` declaration (after optional whitespace), if present.
    static func xmlDeclarationRange(_ bytes: [UInt8]) -> Range<Int>? {
        var start = 0
        while start < bytes.count, start < 64, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[start]) { start += 1 }
        guard bytes.count >= start + 5, bytes[start..<start + 5].elementsEqual(Array("<?xml".utf8)) else {
            return nil
        }
        var index = start + 5
        let end = min(bytes.count - 1, start + 512)
        while index < end {
            if bytes[index] == UInt8(ascii: "?") && bytes[index + 1] == UInt8(ascii: ">") {
                return start..<(index + 2)
            }
            index += 1
        }
        return nil
    }

    /// Decodes `bytes` to UTF-8 using the BOM, the declaration, then `httpCharset`, then UTF-8.
    static func decode(_ bytes: [UInt8], httpCharset: String?) -> Decoded {
        var (declared, bomLength) = declaredCharset(bytes)
        let body = bomLength > 0 ? Array(bytes[bomLength...]) : bytes
        var problems: [FeedProblem] = []
        if let charset = declared, charset.hasPrefix("utf-16") || charset.hasPrefix("utf16"), bomLength == 0,
            body.count > 1, body[0] != 0, body[1] != 0
        {
            // The declaration was readable as ASCII, so the document cannot be UTF-16 as it claims.
            problems.append(
                FeedProblem(line: 1, message: "the document declares \(charset) but is 8-bit; read it as UTF-8"))
            declared = "utf-8"
        }
        let http = httpCharset?.trimmingCharacters(in: CharacterSet(charactersIn: " \"'")).lowercased()
        let charset = declared ?? (http?.isEmpty == false ? http : nil) ?? "utf-8"
        switch canonicalName(charset) {
        case "utf-8":
            if isValidUTF8(body) {
                return Decoded(bytes: body, encoding: "utf-8", problems: problems)
            }
            problems.append(
                FeedProblem(
                    line: firstInvalidUTF8Line(body),
                    message: "the document is not valid \(charset); read it as windows-1252 instead"))
            return Decoded(bytes: singleByte(body, table: windows1252), encoding: "windows-1252", problems: problems)
        case "windows-1252":
            return Decoded(bytes: singleByte(body, table: windows1252), encoding: "windows-1252", problems: problems)
        case "iso-8859-15":
            return Decoded(bytes: singleByte(body, table: iso885915), encoding: "iso-8859-15", problems: problems)
        case "utf-16le", "utf-16be", "utf-16":
            let encoding: String.Encoding =
                charset.hasSuffix("be") || (charset == "utf-16" && body.first == 0)
                ? .utf16BigEndian : .utf16LittleEndian
            if let text = String(data: Data(body), encoding: encoding) {
                return Decoded(bytes: Array(text.utf8), encoding: "utf-16", problems: problems)
            }
            problems.append(FeedProblem(message: "the document is not valid \(charset); read it as UTF-8"))
            return Decoded(
                bytes: Array(String(decoding: body, as: UTF8.self).utf8), encoding: "utf-8", problems: problems)
        default:
            problems.append(FeedProblem(message: "unsupported encoding \"\(charset)\"; read the document as UTF-8"))
            if isValidUTF8(body) {
                return Decoded(bytes: body, encoding: "utf-8", problems: problems)
            }
            return Decoded(bytes: singleByte(body, table: windows1252), encoding: "windows-1252", problems: problems)
        }
    }

    /// Whether `bytes` are well-formed UTF-8 (the standard library's fast check where the OS has it).
    static func isValidUTF8(_ bytes: [UInt8]) -> Bool {
        if #available(macOS 15, iOS 18, *) {
            return String(validating: bytes, as: UTF8.self) != nil
        }
        return firstInvalidUTF8Line(bytes) == nil
    }

    private static func canonicalName(_ charset: String) -> String {
        switch charset {
        case "utf-8", "utf8", "unicode-1-1-utf-8", "us-ascii", "ascii", "ansi_x3.4-1968": return "utf-8"
        case "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1", "windows-1252", "cp1252",
            "x-cp1252", "cp819", "ibm819":
            return "windows-1252"
        case "iso-8859-15", "iso8859-15", "iso_8859-15", "latin-9", "latin9": return "iso-8859-15"
        case "utf-16", "utf16": return "utf-16"
        case "utf-16le": return "utf-16le"
        case "utf-16be": return "utf-16be"
        default: return charset
        }
    }

    private static func firstInvalidUTF8Line(_ bytes: [UInt8]) -> Int? {
        var line = 1
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): if scalar == "\n" { line += 1 }
            case .emptyInput: return nil
            case .error: return line
            }
        }
    }

    /// Windows-1252's 0x80–0x9F; the rest of the byte range maps to the same code point (as ISO-8859-1).
    private static let windows1252: [UInt32] = {
        var table = (0..<256).map { UInt32($0) }
        let high: [UInt32] = [
            0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D,
            0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161,
            0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
        ]
        for (offset, value) in high.enumerated() { table[0x80 + offset] = value }
        return table
    }()

    private static let iso885915: [UInt32] = {
        var table = (0..<256).map { UInt32($0) }
        let changes: [(Int, UInt32)] = [
            (0xA4, 0x20AC), (0xA6, 0x0160), (0xA8, 0x0161), (0xB4, 0x017D), (0xB8, 0x017E), (0xBC, 0x0152),
            (0xBD, 0x0153), (0xBE, 0x0178),
        ]
        for (byte, value) in changes { table[byte] = value }
        return table
    }()

    /// The Windows-1252 mapping of one byte, for `&#150;`-style references that mean Windows-1252 characters.
    static func windows1252Scalar(_ byte: UInt8) -> UInt32 { windows1252[Int(byte)] }

    private static func singleByte(_ bytes: [UInt8], table: [UInt32]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + bytes.count / 8)
        for byte in bytes {
            if byte < 0x80 {
                output.append(byte)
            } else {
                appendUTF8(table[Int(byte)], to: &output)
            }
        }
        return output
    }

    /// Appends the UTF-8 form of a scalar value (U+FFFD when it is not one).
    static func appendUTF8(_ value: UInt32, to output: inout [UInt8]) {
        let scalar = Unicode.Scalar(value) ?? "\u{FFFD}"
        output.append(contentsOf: UTF8.encode(scalar).map { Array($0) } ?? [])
    }
}
