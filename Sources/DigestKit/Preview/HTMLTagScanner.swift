import Foundation

/// A forgiving tokenizer of HTML into start tags (with attributes), end tags and text, enough for `DigestLint`.
///
/// It is not a parser: it builds no tree and does not repair nesting. Comments, doctypes and processing instructions
/// are skipped; the contents of `script` and `style` are skipped; any input, however broken, ends in a finite list.
enum HTMLTagScanner {
    /// One token.
    struct Token: Sendable, Hashable {
        /// What the token is.
        enum Kind: Sendable, Hashable {
            case open, close, text
        }

        var kind: Kind
        /// The lower-cased tag name (empty for text).
        var name: String
        /// The attributes of a start tag, names lower-cased, values with character references decoded.
        var attributes: [String: String]
        /// The text, character references decoded (empty for tags).
        var text: String
    }

    /// Elements that never have an end tag.
    static let voidElements: Set<String> = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
    ]

    /// The tokens of `html`, in order.
    static func scan(_ html: String) -> [Token] {
        let scalars = Array(html.unicodeScalars)
        var tokens: [Token] = []
        var index = 0
        var text = String.UnicodeScalarView()
        func flushText() {
            if !text.isEmpty {
                tokens.append(Token(kind: .text, name: "", attributes: [:], text: decode(String(text))))
                text = String.UnicodeScalarView()
            }
        }
        while index < scalars.count {
            let scalar = scalars[index]
            guard scalar == "<", index + 1 < scalars.count else {
                text.append(scalar)
                index += 1
                continue
            }
            let next = scalars[index + 1]
            if next == "!" || next == "?" {
                flushText()
                let isComment = index + 3 < scalars.count && scalars[index + 2] == "-" && scalars[index + 3] == "-"
                index =
                    isComment
                    ? skip(past: "-->", in: scalars, from: index + 4) : skip(past: ">", in: scalars, from: index)
                continue
            }
            let isClose = next == "/"
            let nameStart = isClose ? index + 2 : index + 1
            guard nameStart < scalars.count, isLetter(scalars[nameStart]) else {
                text.append(scalar)
                index += 1
                continue
            }
            flushText()
            var cursor = nameStart
            var name = ""
            while cursor < scalars.count, !isSpace(scalars[cursor]), scalars[cursor] != ">", scalars[cursor] != "/" {
                name.unicodeScalars.append(scalars[cursor])
                cursor += 1
            }
            name = name.lowercased()
            var attributes: [String: String] = [:]
            cursor = readAttributes(scalars, from: cursor, into: &attributes)
            tokens.append(Token(kind: isClose ? .close : .open, name: name, attributes: attributes, text: ""))
            index = cursor
            if !isClose, name == "script" || name == "style" {
                index = skipRawText(scalars, from: index, name: name)
                tokens.append(Token(kind: .close, name: name, attributes: [:], text: ""))
            }
        }
        flushText()
        return tokens
    }

    /// Reads attributes from `start` up to and past the closing `>`; returns the index after it.
    private static func readAttributes(
        _ scalars: [Unicode.Scalar],
        from start: Int,
        into attributes: inout [String: String]
    ) -> Int {
        var cursor = start
        while cursor < scalars.count {
            let scalar = scalars[cursor]
            if scalar == ">" { return cursor + 1 }
            if isSpace(scalar) || scalar == "/" {
                cursor += 1
                continue
            }
            var name = ""
            while cursor < scalars.count, !isSpace(scalars[cursor]), scalars[cursor] != "=", scalars[cursor] != ">" {
                name.unicodeScalars.append(scalars[cursor])
                cursor += 1
            }
            while cursor < scalars.count, isSpace(scalars[cursor]) { cursor += 1 }
            var value = ""
            if cursor < scalars.count, scalars[cursor] == "=" {
                cursor += 1
                while cursor < scalars.count, isSpace(scalars[cursor]) { cursor += 1 }
                if cursor < scalars.count, scalars[cursor] == "\"" || scalars[cursor] == "'" {
                    let quote = scalars[cursor]
                    cursor += 1
                    while cursor < scalars.count, scalars[cursor] != quote {
                        value.unicodeScalars.append(scalars[cursor])
                        cursor += 1
                    }
                    cursor += 1
                } else {
                    while cursor < scalars.count, !isSpace(scalars[cursor]), scalars[cursor] != ">" {
                        value.unicodeScalars.append(scalars[cursor])
                        cursor += 1
                    }
                }
            }
            let key = name.lowercased()
            if !key.isEmpty, attributes[key] == nil { attributes[key] = decode(value) }
        }
        return cursor
    }

    /// The index just past the first `terminator` at or after `start`, or the end.
    private static func skip(past terminator: String, in scalars: [Unicode.Scalar], from start: Int) -> Int {
        let pattern = Array(terminator.unicodeScalars)
        var cursor = max(start, 0)
        while cursor + pattern.count <= scalars.count {
            if Array(scalars[cursor..<cursor + pattern.count]) == pattern { return cursor + pattern.count }
            cursor += 1
        }
        return scalars.count
    }

    /// The index past `</name>` (case-insensitive), or the end.
    private static func skipRawText(_ scalars: [Unicode.Scalar], from start: Int, name: String) -> Int {
        let pattern = Array(("</" + name).unicodeScalars)
        var cursor = start
        while cursor + pattern.count <= scalars.count {
            let window = String(String.UnicodeScalarView(scalars[cursor..<cursor + pattern.count])).lowercased()
            if window == "</" + name { return skip(past: ">", in: scalars, from: cursor) }
            cursor += 1
        }
        return scalars.count
    }

    /// `text` with `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`, `&nbsp;` and numeric references decoded.
    static func decode(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var result = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            result += rest[..<amp]
            let after = rest[rest.index(after: amp)...]
            guard let semicolon = after.prefix(10).firstIndex(of: ";") else {
                result += "&"
                rest = after
                continue
            }
            let entity = after[..<semicolon]
            if let decoded = decodeEntity(entity) {
                result.unicodeScalars.append(decoded)
            } else {
                result += "&" + entity + ";"
            }
            rest = after[after.index(after: semicolon)...]
        }
        return result + rest
    }

    private static func decodeEntity(_ entity: Substring) -> Unicode.Scalar? {
        switch entity {
        case "amp": return "&"
        case "lt": return "<"
        case "gt": return ">"
        case "quot": return "\""
        case "apos": return "'"
        case "nbsp": return "\u{A0}"
        default: break
        }
        guard entity.hasPrefix("#") else { return nil }
        let digits = entity.dropFirst()
        let value =
            digits.hasPrefix("x") || digits.hasPrefix("X")
            ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits, radix: 10)
        return value.flatMap(Unicode.Scalar.init)
    }

    private static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\n" || scalar == "\t" || scalar == "\r" || scalar == "\u{0C}"
    }

    private static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
    }
}
