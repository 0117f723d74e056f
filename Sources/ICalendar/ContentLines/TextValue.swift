import DigestSupport

/// TEXT value escaping (RFC 5545 section 3.3.11).
enum TextValue {
    /// Unescapes `\\`, `\;`, `\,`, `\n` and `\N`; an unknown escape keeps the escaped character.
    static func unescape(_ text: String) -> String {
        unescape(text[...])
    }

    /// ``unescape(_:)-(String)`` of a slice; the text between escapes is copied in runs.
    static func unescape(_ text: Substring) -> String {
        let utf8 = text.utf8
        guard text.utf8Contains(0x5C) else { return String(text) }
        var result = ""
        result.reserveCapacity(utf8.count)
        var runStart = utf8.startIndex
        var searchFrom = runStart
        while let slash = utf8[searchFrom...].firstIndex(of: 0x5C) {
            result += text[runStart..<slash]
            let escaped = utf8.index(after: slash)
            guard escaped < utf8.endIndex else {
                result += "\\"
                return result
            }
            if utf8[escaped] == UInt8(ascii: "n") || utf8[escaped] == UInt8(ascii: "N") {
                result += "\n"
                runStart = utf8.index(after: escaped)
            } else {
                runStart = escaped  // the escaped character starts the next run, as itself
            }
            searchFrom = utf8.index(after: escaped)
        }
        result += text[runStart...]
        return result
    }

    /// Splits on commas that are not escaped, then unescapes each part.
    static func splitList(_ text: String) -> [String] {
        let utf8 = text.utf8
        var parts: [String] = []
        var partStart = utf8.startIndex
        var index = utf8.startIndex
        while index < utf8.endIndex {
            switch utf8[index] {
            case 0x5C:
                index = utf8.index(after: index)
                if index < utf8.endIndex { index = utf8.index(after: index) }
            case UInt8(ascii: ","):
                parts.append(unescape(text[partStart..<index]).trimmingSpaces())
                index = utf8.index(after: index)
                partStart = index
            default:
                index = utf8.index(after: index)
            }
        }
        parts.append(unescape(text[partStart...]).trimmingSpaces())
        return parts
    }

    /// Escapes backslash, semicolon, comma and newlines for writing.
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        var previousWasCR = false
        for character in text.unicodeScalars {
            switch character {
            case "\\": result.append("\\\\")
            case ";": result.append("\\;")
            case ",": result.append("\\,")
            case "\r":
                result.append("\\n")
                previousWasCR = true
                continue
            case "\n":
                if !previousWasCR {
                    result.append("\\n")
                }
            default: result.unicodeScalars.append(character)
            }
            previousWasCR = false
        }
        return result
    }
}

extension StringProtocol {
    /// The string without leading and trailing spaces and tabs.
    func trimmingSpaces() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" {
            scalars.removeFirst()
        }
        while let last = scalars.last, last == " " || last == "\t" {
            scalars.removeLast()
        }
        return String(scalars)
    }
}
