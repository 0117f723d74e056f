/// MIME header parameters (RFC 2045 §5.1) with RFC 2231 encoding and continuations for non-ASCII or long values.
enum MIMEParameter {
    /// The longest parameter segment written before a continuation is started.
    static let segmentLength = 60

    /// A file name safe to suggest: sanitized, path separators replaced by `_`, never empty.
    static func cleanFilename(_ filename: String) -> String {
        let cleaned = HeaderText.sanitized(filename).replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "\\", with: "_")
        return cleaned.isEmpty ? "attachment" : cleaned
    }

    /// The tokens with `; name=value` appended: a quoted-string for short printable ASCII values, otherwise RFC 2231
    /// `name*=UTF-8''…` or `name*0*=…; name*1*=…` segments.
    static func appending(name: String, value: String, to tokens: [String]) -> [String] {
        var result = tokens
        let parameters = encode(name: name, value: value)
        for parameter in parameters {
            if let last = result.popLast() {
                result.append(last.hasSuffix(";") ? last : last + ";")
            }
            result.append(parameter)
        }
        return result
    }

    /// The parameter as one or more `attribute=value` strings; continuation segments end on character boundaries,
    /// so each segment decodes to valid UTF-8 on its own.
    static func encode(name: String, value: String) -> [String] {
        let plain =
            value.utf8.count <= segmentLength
            && value.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
        if plain {
            return ["\(name)=\"\(value)\""]
        }
        var segments: [String] = []
        var current = "UTF-8''"
        for scalar in value.unicodeScalars {
            let piece = String(scalar).utf8.map {
                isAttributeChar($0) ? String(UnicodeScalar($0)) : "%" + HeaderText.hex($0)
            }
            .joined()
            if current.utf8.count + piece.utf8.count > segmentLength {
                segments.append(current)
                current = ""
            }
            current += piece
        }
        segments.append(current)
        if segments.count == 1 {
            return ["\(name)*=\(segments[0])"]
        }
        return segments.enumerated().map { "\(name)*\($0.offset)*=\($0.element)" }
    }

    /// RFC 2231 `attribute-char`: printable ASCII except space, `*`, `'`, `%` and the RFC 2045 tspecials.
    private static func isAttributeChar(_ byte: UInt8) -> Bool {
        guard byte > 0x20 && byte < 0x7F else {
            return false
        }
        return !"*'%()<>@,;:\\\"/[]?=".utf8.contains(byte)
    }
}
