import DigestSupport

/// Fast, allocation-light text helpers used for titles and other short fields.
enum PlainText {
    /// Collapses every run of whitespace (including no-break spaces) to one space and trims the ends.
    static func collapseWhitespace(_ text: String) -> String {
        var text = text
        text.makeContiguousUTF8()
        return text.utf8.withContiguousStorageIfAvailable { bytes -> String in
            var result: [UInt8] = []
            result.reserveCapacity(bytes.count)
            var pendingSpace = false
            var index = 0
            // Bytes, not scalars: a Unicode property lookup per scalar was most of the cost.
            while index < bytes.count {
                let space = UTF8Whitespace.length(in: bytes, at: index)
                if space > 0 {
                    pendingSpace = !result.isEmpty
                    index += space
                    continue
                }
                if pendingSpace { result.append(0x20) }
                pendingSpace = false
                var end = index + 1  // the run of text up to the next whitespace, copied at once
                while end < bytes.count && UTF8Whitespace.length(in: bytes, at: end) == 0 { end += 1 }
                result += UnsafeBufferPointer(rebasing: bytes[index..<end])
                index = end
            }
            return String(decoding: result, as: UTF8.self)
        } ?? text
    }

    /// Decodes HTML character references (named, decimal, hex); unknown ones stay as written.
    static func decodeEntities(_ text: String) -> String {
        guard text.utf8Contains(UInt8(ascii: "&")) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count)
        let scalars = Array(text.unicodeScalars)
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            guard scalar == "&" else {
                result.unicodeScalars.append(scalar)
                index += 1
                continue
            }
            var end = index + 1
            while end < scalars.count, end - index <= 32, scalars[end] != ";", scalars[end] != "&",
                !scalars[end].properties.isWhitespace
            {
                end += 1
            }
            if end < scalars.count, scalars[end] == ";", let value = referenceValue(scalars[(index + 1)..<end]) {
                result.unicodeScalars.append(value)
                index = end + 1
            } else {
                result.unicodeScalars.append(scalar)
                index += 1
            }
        }
        return result
    }

    private static func referenceValue(_ body: ArraySlice<Unicode.Scalar>) -> Unicode.Scalar? {
        guard let first = body.first else { return nil }
        if first == "#" {
            var digits = String(String.UnicodeScalarView(body.dropFirst()))
            var radix = 10
            if digits.hasPrefix("x") || digits.hasPrefix("X") {
                digits.removeFirst()
                radix = 16
            }
            guard var value = UInt32(digits, radix: radix) else { return nil }
            if value >= 0x80 && value <= 0x9F { value = TextEncoding.windows1252Scalar(UInt8(value)) }
            return value == 0 ? nil : Unicode.Scalar(value)
        }
        let name = String(String.UnicodeScalarView(body))
        if name == "apos" { return "'" }
        return HTMLEntities.table[name].flatMap(Unicode.Scalar.init)
    }

    /// Removes tag-like runs (`<` followed by a letter, `/`, `!` or `?`, up to `>`), comments, and `script` and
    /// `style` elements with what they hold; other `<` stay.
    static func stripTags(_ text: String) -> String {
        guard text.utf8Contains(UInt8(ascii: "<")) else { return text }
        var result = ""
        let scalars = Array(text.unicodeScalars)
        // Past the last ">" no tag can close, so a run of "<" without ">" stays linear.
        let lastClose = scalars.lastIndex(of: ">") ?? -1
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "<", index < lastClose,
                scalars[index + 1].properties.isAlphabetic || "/!?".unicodeScalars.contains(scalars[index + 1]),
                let close = scalars[(index + 1)...].firstIndex(of: ">")
            {
                let name = String(String.UnicodeScalarView(scalars[(index + 1)..<close])).lowercased()
                if name.hasPrefix("!--") {
                    index = endOfComment(in: scalars, after: index + 4)
                    continue
                }
                if let element = rawTextElement(name) {
                    // What a script or style holds is never text (as HTMLText drops it in summaries).
                    result.unicodeScalars.append(" ")
                    index = endOfRawText(element, in: scalars, after: close + 1)
                    continue
                }
                if name.hasPrefix("br") || name.hasPrefix("p") || name.hasPrefix("/p") || name.hasPrefix("div")
                    || name.hasPrefix("/div") || name.hasPrefix("li")
                {
                    result.unicodeScalars.append(" ")
                }
                index = close + 1
            } else {
                result.unicodeScalars.append(scalar)
                index += 1
            }
        }
        return result
    }

    /// `script` or `style` when the tag text (after `<`, lower-cased) opens one of them.
    private static func rawTextElement(_ tag: String) -> String? {
        for element in ["script", "style"] where tag.hasPrefix(element) {
            let next = tag.dropFirst(element.count).first
            if next == nil || next == " " || next == "/" || next == "\t" || next == "\n" { return element }
        }
        return nil
    }

    /// The index just past `</element …>` at or after `start` (case-insensitive), or the end when it never closes.
    private static func endOfRawText(_ element: String, in scalars: [Unicode.Scalar], after start: Int) -> Int {
        let closing = Array(("</" + element).unicodeScalars)
        var index = start
        while index + closing.count <= scalars.count {
            var matched = true
            for offset in 0..<closing.count
            where Character(scalars[index + offset]).lowercased() != Character(closing[offset]).lowercased() {
                matched = false
                break
            }
            if matched {
                return scalars[(index + closing.count)...].firstIndex(of: ">").map { $0 + 1 } ?? scalars.count
            }
            index += 1
        }
        return scalars.count
    }

    /// The index just past the `-->` that closes a comment opened before `start`, or the end.
    private static func endOfComment(in scalars: [Unicode.Scalar], after start: Int) -> Int {
        var index = start
        while index + 2 < scalars.count {
            if scalars[index] == "-" && scalars[index + 1] == "-" && scalars[index + 2] == ">" { return index + 3 }
            index += 1
        }
        return scalars.count
    }

    /// Turns HTML (an Atom `html` or `xhtml` title) into plain text in one pass: tags out, then entities decoded,
    /// so that an escaped `&lt;blink&gt;` stays as the text `<blink>`.
    static func htmlTitle(_ html: String) -> String {
        collapseWhitespace(decodeEntities(stripTags(html)))
    }

    /// Turns a title that may hold markup or (double-)escaped entities into plain text.
    static func title(_ raw: String) -> String {
        var text = raw
        for _ in 0..<3 {
            let next = decodeEntities(stripTags(text))
            if next == text { break }
            text = next
        }
        return collapseWhitespace(stripTags(text))
    }

    /// Escapes `&`, `<` and `>` so plain text can sit in HTML.
    static func escapeHTML(_ text: String) -> String {
        guard text.contains(where: { $0 == "&" || $0 == "<" || $0 == ">" || $0 == "\"" }) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + 16)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            default: result.append(character)
            }
        }
        return result
    }
}
