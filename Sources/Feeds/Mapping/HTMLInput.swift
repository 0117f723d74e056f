import CLibXML2
import Foundation

/// An HTML page's bytes ready for libxml2: decoded to UTF-8 where `TextEncoding` knows the charset, else handed to
/// libxml2's own decoders with the charset's name.
struct HTMLInput {
    var bytes: [UInt8]
    /// The encoding the bytes were read in.
    var encoding: String
    /// What to tell libxml2 the bytes are in.
    var libxml2Encoding: String

    /// How far into the page a <meta> charset declaration is looked for.
    static let prescanLength = 2048

    init(data: Data, charset: String?) {
        let original = [UInt8](data)
        let hasBOM = TextEncoding.declaredCharset(Array(original.prefix(4))).bomLength > 0
        var chosen = HTMLInput.label(charset)
        if chosen == nil, !hasBOM, let declared = HTMLInput.label(HTMLInput.metaCharset(original)) {
            // HTML: a <meta> that claims UTF-16 in an 8-bit prescan means UTF-8.
            chosen = declared.hasPrefix("utf-16") || declared.hasPrefix("utf16") ? "utf-8" : declared
        }
        var input = original
        if chosen != nil, !hasBOM, let declaration = TextEncoding.xmlDeclarationRange(input) {
            // An XML declaration means nothing to the HTML parser, and must not outrank the charset chosen.
            input.removeSubrange(declaration)
        }
        let decoded = TextEncoding.decode(input, httpCharset: chosen)
        if let chosen, decoded.problems.contains(where: { $0.message.hasPrefix("unsupported encoding") }),
            Self.libxml2Supports(chosen)
        {
            bytes = input
            encoding = chosen
            libxml2Encoding = chosen
        } else {
            bytes = decoded.bytes
            encoding = decoded.encoding
            libxml2Encoding = "UTF-8"
        }
    }

    /// A charset label (or a Content-Type value's charset parameter) trimmed of quotes and spaces and lower-cased;
    /// nil when empty.
    static func label(_ raw: String?) -> String? {
        guard var raw else { return nil }
        if raw.lowercased().contains("charset") {
            guard let parameter = charsetParameter(raw.lowercased()) else { return nil }
            raw = parameter
        }
        let label = raw.trimmingCharacters(in: CharacterSet(charactersIn: " \t\r\n\"'")).lowercased()
        return label.isEmpty ? nil : label
    }

    /// The charset a `<meta charset>` or `<meta http-equiv="content-type" content="…; charset=…">` in the first
    /// 2 KB names (comments skipped), or nil.
    static func metaCharset(_ bytes: [UInt8]) -> String? {
        let head = bytes.prefix(prescanLength).map { byte -> UInt8 in
            if byte >= 0x80 { return 0x20 }
            return byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte
        }
        var index = 0
        while index < head.count {
            if head[index...].starts(with: Array("<!--".utf8)) {
                index = (find(Array("-->".utf8), in: head, from: index + 4) ?? head.count) + 3
                continue
            }
            if head[index...].starts(with: Array("<meta".utf8)), index + 5 < head.count,
                isSpace(head[index + 5]) || head[index + 5] == UInt8(ascii: "/")
            {
                let (attributes, end) = parseAttributes(head, from: index + 5)
                if let charset = attributes["charset"], !charset.isEmpty { return charset }
                if attributes["http-equiv"]?.trimmedWhitespace == "content-type", let content = attributes["content"],
                    let charset = charsetParameter(content)
                {
                    return charset
                }
                index = end
                continue
            }
            index += 1
        }
        return nil
    }

    /// The `charset=` parameter of a Content-Type value.
    static func charsetParameter(_ content: String) -> String? {
        guard let range = content.range(of: "charset") else { return nil }
        var rest = content[range.upperBound...].drop { $0 == " " || $0 == "\t" }
        guard rest.first == "=" else { return nil }
        rest = rest.dropFirst().drop { $0 == " " || $0 == "\t" }
        if let quote = rest.first, quote == "\"" || quote == "'" {
            rest = rest.dropFirst()
            return String(rest.prefix { $0 != quote })
        }
        let value = rest.prefix { $0 != ";" && $0 != " " && $0 != "\t" }
        return value.isEmpty ? nil : String(value)
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0C || byte == 0x0D
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        var index = start
        while index + needle.count <= haystack.count {
            if haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }

    /// The attributes of a tag from `start` (just after its name) to its `>`, and the index after it.
    private static func parseAttributes(_ bytes: [UInt8], from start: Int) -> ([String: String], Int) {
        var attributes: [String: String] = [:]
        var index = start
        func text(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }
        while index < bytes.count {
            while index < bytes.count, isSpace(bytes[index]) || bytes[index] == UInt8(ascii: "/") { index += 1 }
            guard index < bytes.count, bytes[index] != UInt8(ascii: ">") else { break }
            let nameStart = index
            while index < bytes.count, !isSpace(bytes[index]), bytes[index] != UInt8(ascii: "="),
                bytes[index] != UInt8(ascii: ">"), bytes[index] != UInt8(ascii: "/")
            {
                index += 1
            }
            let name = text(nameStart..<index)
            while index < bytes.count, isSpace(bytes[index]) { index += 1 }
            var value = ""
            if index < bytes.count, bytes[index] == UInt8(ascii: "=") {
                index += 1
                while index < bytes.count, isSpace(bytes[index]) { index += 1 }
                if index < bytes.count, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") {
                    let quote = bytes[index]
                    let valueStart = index + 1
                    index = valueStart
                    while index < bytes.count, bytes[index] != quote { index += 1 }
                    value = text(valueStart..<index)
                    index += 1
                } else {
                    let valueStart = index
                    while index < bytes.count, !isSpace(bytes[index]), bytes[index] != UInt8(ascii: ">") { index += 1 }
                    value = text(valueStart..<index)
                }
            }
            if !name.isEmpty, attributes[name] == nil { attributes[name] = value }
        }
        return (attributes, min(index + 1, bytes.count))
    }

    /// Whether libxml2 can decode the encoding called `name`.
    private static func libxml2Supports(_ name: String) -> Bool {
        LibXML2.prepare()
        return digest_encoding_supported(name) != 0
    }
}
