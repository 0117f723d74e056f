import DigestSupport
import Foundation

/// Decodes a document's bytes to UTF-8 from the charset its BOM, XML declaration or HTTP header names.
///
/// The encoding family comes from the first bytes as XML 1.0 Appendix F says: a UTF-8, UTF-16 or UTF-32 byte-order
/// mark, else the pattern of NUL bytes around the first `<` (UTF-16 and UTF-32 without BOM), else the XML
/// declaration's `encoding`, else the HTTP charset, else UTF-8. ISO-8859-1 is read as Windows-1252 (as browsers and
/// feedparser do: real "Latin-1" feeds carry curly quotes and dashes in 0x80–0x9F), and Windows-1252 and
/// ISO-8859-15 from tables here. Every other charset (UTF-16, UTF-32, big5, koi8-r, shift_jis, iso-8859-2…16,
/// windows-125x, euc-kr, gb2312 …) is converted by the C library's iconv: Foundation's `String(data:encoding:)`
/// knows only a fixed list of about fifteen encodings on Linux and has no lookup by IANA name there
/// (`CFStringConvertIANACharSetNameToEncoding` is not public), while glibc's iconv takes the IANA names as they are
/// written in feeds and covers them all (macOS has iconv too). Bytes that are not valid in the declared UTF-8 are
/// re-read as Windows-1252 and reported; bytes invalid in another charset become U+FFFD and are reported.
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
        if bytes.starts(with: [0x00, 0x00, 0xFE, 0xFF]) { return ("utf-32be", 4) }
        if bytes.starts(with: [0xFF, 0xFE, 0x00, 0x00]) { return ("utf-32le", 4) }
        if bytes.starts(with: [0xFF, 0xFE]) { return ("utf-16le", 2) }
        if bytes.starts(with: [0xFE, 0xFF]) { return ("utf-16be", 2) }
        if let family = wideFamily(bytes) { return (family, 0) }
        guard let declaration = xmlDeclarationRange(bytes) else { return (nil, 0) }
        let text = String(decoding: bytes[declaration], as: UTF8.self)
        guard let range = text.range(of: "encoding") else { return (nil, 0) }
        var rest = text[range.upperBound...].drop { $0 == " " || $0 == "=" || $0 == "\t" }
        guard let quote = rest.first, quote == "\"" || quote == "'" else { return (nil, 0) }
        rest = rest.dropFirst()
        let value = rest.prefix { $0 != quote }
        return (value.isEmpty ? nil : value.lowercased(), 0)
    }

    /// UTF-16 or UTF-32 without byte-order mark, told by where the NUL bytes of the first character fall
    /// (XML 1.0 Appendix F: `00 00 00 3C`, `3C 00 00 00`, `00 3C 00 3F`, `3C 00 3F 00`, and the same for any
    /// ASCII first characters, such as the `<!--` of a comment or leading whitespace).
    static func wideFamily(_ bytes: [UInt8]) -> String? {
        guard bytes.count >= 4 else { return nil }
        let zero = bytes.prefix(4).map { $0 == 0 }
        switch (zero[0], zero[1], zero[2], zero[3]) {
        case (true, true, true, false): return "utf-32be"
        case (false, true, true, true): return "utf-32le"
        case (true, false, true, false): return "utf-16be"
        case (false, true, false, true): return "utf-16le"
        default: return nil
        }
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
        declared = declared.map(printable)
        if let charset = declared,
            charset.hasPrefix("utf-16") || charset.hasPrefix("utf16")
                || charset.hasPrefix("utf-32") || charset.hasPrefix("utf32"), bomLength == 0,
            body.count > 1, body[0] != 0, body[1] != 0
        {
            // The declaration was readable as ASCII, so the document cannot be UTF-16 as it claims.
            problems.append(
                FeedProblem(line: 1, message: "the document declares \(charset) but is 8-bit; read it as UTF-8"))
            declared = "utf-8"
        }
        let http = (httpCharset?.trimmingCharacters(in: CharacterSet(charactersIn: " \"'")).lowercased())
            .map(printable)
        let charset = declared ?? (http?.isEmpty == false ? http : nil) ?? "utf-8"
        switch canonicalName(charset) {
        case "utf-8":
            if UTF8Validation.isValid(body) {
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
        case let name:
            // UTF-16 and UTF-32 without their endianness read as big-endian unless the NULs say otherwise.
            let iconvName =
                switch name {
                case "utf-16": wideFamily(body) ?? "utf-16be"
                case "utf-32": wideFamily(body) ?? "utf-32be"
                default: name
                }
            if let converted = Iconv.toUTF8(body, from: iconvName) {
                if converted.invalid > 0 {
                    problems.append(
                        FeedProblem(
                            line: converted.firstInvalidLine,
                            message:
                                "replaced \(converted.invalid) byte sequence\(converted.invalid == 1 ? "" : "s") not valid in \(charset) with U+FFFD"
                        ))
                }
                return Decoded(bytes: converted.bytes, encoding: iconvName, problems: problems)
            }
            problems.append(
                FeedProblem(message: "unsupported encoding \"\(printable(charset))\"; read the document as UTF-8"))
            if UTF8Validation.isValid(body) {
                return Decoded(bytes: body, encoding: "utf-8", problems: problems)
            }
            return Decoded(bytes: singleByte(body, table: windows1252), encoding: "windows-1252", problems: problems)
        }
    }

    /// A charset or media type name from the document, safe to print: at most 40 characters, anything but letters,
    /// digits and `-_.:()/+` written as `?`.
    static func printable(_ charset: String) -> String {
        String(
            charset.prefix(40).map { character in
                character.isASCII && (character.isLetter || character.isNumber || "-_.:()/+".contains(character))
                    ? character : "?"
            })
    }

    private static func canonicalName(_ charset: String) -> String {
        switch charset {
        case "utf-8", "utf8", "unicode-1-1-utf-8", "us-ascii", "ascii", "ansi_x3.4-1968": return "utf-8"
        case "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1", "windows-1252", "cp1252",
            "x-cp1252", "cp819", "ibm819":
            return "windows-1252"
        case "iso-8859-15", "iso8859-15", "iso_8859-15", "latin-9", "latin9": return "iso-8859-15"
        case "utf-16", "utf16", "ucs-2", "iso-10646-ucs-2", "csunicode": return "utf-16"
        case "utf-32", "utf32", "ucs-4", "iso-10646-ucs-4", "csucs4": return "utf-32"
        // GB2312 text is GB18030 text, and real "gb2312" feeds use GBK's extra characters (so does feedparser).
        case "gb2312", "gbk", "x-gbk", "cp936", "csgb2312": return "gb18030"
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
