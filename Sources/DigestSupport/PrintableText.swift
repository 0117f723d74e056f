/// Text from a source or a file made safe for one line of a terminal or log.
public enum PrintableText {
    /// `text` with every control character (C0, DEL, C1: a NUL, an escape sequence, a newline) and U+2028/U+2029
    /// written as `\u{…}`, so that undecoded or hostile bytes never reach a terminal and a message stays one line.
    public static func oneLine(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count + 8)
        for scalar in text.unicodeScalars {
            if needsEscape(scalar) {
                result += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028
            || scalar.value == 0x2029
    }
}
