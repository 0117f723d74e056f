/// Text from a remote peer (an SMTP reply, a token endpoint's error) made safe for a log line, a ledger row or a
/// terminal.
enum PrintableText {
    /// `text` with every control character (C0 but none kept, DEL, C1, U+2028/U+2029) written as `\u{1B}`, so that a
    /// hostile server cannot move the cursor, forge log lines or hide text; at most `limit` characters are kept,
    /// followed by `…` when some were dropped.
    static func escaped(_ text: some StringProtocol, limit: Int = 1000) -> String {
        let clean = text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
        if clean && text.utf8.count <= limit { return String(text) }
        var result = ""
        var count = 0
        for scalar in text.unicodeScalars {
            guard count < limit else {
                result += "…"
                break
            }
            if scalar.properties.generalCategory == .control || scalar.value == 0x2028 || scalar.value == 0x2029 {
                result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                result.unicodeScalars.append(scalar)
            }
            count += 1
        }
        return result
    }
}
