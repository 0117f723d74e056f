/// TEXT value escaping (RFC 5545 section 3.3.11).
enum TextValue {
    /// Unescapes `\\`, `\;`, `\,`, `\n` and `\N`; an unknown escape keeps the escaped character.
    static func unescape(_ text: String) -> String {
        guard text.utf8.contains(0x5C) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count)
        var escaping = false
        for character in text {
            if escaping {
                switch character {
                case "n", "N": result.append("\n")
                default: result.append(character)
                }
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                result.append(character)
            }
        }
        if escaping {
            result.append("\\")
        }
        return result
    }

    /// Splits on commas that are not escaped, then unescapes each part.
    static func splitList(_ text: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var escaping = false
        for character in text {
            if escaping {
                current.append("\\")
                current.append(character)
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else if character == "," {
                parts.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        if escaping {
            current.append("\\")
        }
        parts.append(current)
        return parts.map { unescape($0).trimmingSpaces() }
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
