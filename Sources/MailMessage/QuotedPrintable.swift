/// Quoted-printable content transfer encoding (RFC 2045 §6.7) for text bodies.
///
/// The output has CRLF hard line breaks where the input had any line break (CRLF, LF or a lone CR), encoded lines of
/// at most 76 characters with `=` soft breaks, `=` and trailing whitespace encoded, and soft breaks placed only between
/// whole characters, so neither an `=XX` triplet nor a UTF-8 sequence is ever split. A `.` at the start of an encoded
/// line and the `F` of a line starting with `From ` are encoded too, so SMTP dot-stuffing and mbox `>From` quoting
/// cannot alter the text.
public enum QuotedPrintable {
    /// The longest encoded line, without CRLF.
    public static let maximumLineLength = 76

    /// The UTF-8 of the text, quoted-printable encoded.
    public static func encode(_ text: String) -> String {
        String(decoding: encode(bytes: Array(text.utf8)), as: UTF8.self)
    }

    /// The bytes, quoted-printable encoded, as ASCII bytes.
    public static func encode(bytes input: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(input.count + input.count / 8 + 16)
        encode(bytes: input, into: &output)
        return output
    }

    /// Appends the bytes, quoted-printable encoded, to `output`.
    static func encode(bytes input: [UInt8], into output: inout [UInt8]) {
        input.withUnsafeBufferPointer { encode(bytes: $0, into: &output) }
    }

    /// Appends the bytes, quoted-printable encoded, to `output`.
    static func encode(bytes: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) {
        let count = bytes.count
        var lineStart = 0
        var isFirstLine = true
        while true {
            var end = lineStart
            while end < count && bytes[end] != 0x0A && bytes[end] != 0x0D {
                end += 1
            }
            if !isFirstLine {
                output.append(0x0D)
                output.append(0x0A)
            }
            isFirstLine = false
            encodeLine(UnsafeBufferPointer(rebasing: bytes[lineStart..<end]), into: &output)
            if end == count {
                break
            }
            lineStart = bytes[end] == 0x0D && end + 1 < count && bytes[end + 1] == 0x0A ? end + 2 : end + 1
        }
    }

    /// Encodes one line (without its line break) and appends it, with soft breaks as needed.
    private static func encodeLine(_ line: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) {
        if isPlain(line) {
            output.append(contentsOf: line)
            return
        }
        var column = 0
        var index = 0
        while index < line.count {
            let byte = line[index]
            if byte < 0x80 {
                // A run of bytes written as themselves, short of the line's last byte and of the soft-break column,
                // copied at once (a line can only need an escape at its start for `.` and `F`).
                if column > 0 || (byte != UInt8(ascii: ".") && byte != UInt8(ascii: "F")) {
                    let limit = min(line.count - 1, index + (maximumLineLength - 1 - column))
                    var end = index
                    while end < limit && isLiteral(line[end], isLast: false) { end += 1 }
                    if end > index {
                        output.append(contentsOf: UnsafeBufferPointer(rebasing: line[index..<end]))
                        column += end - index
                        index = end
                        continue
                    }
                }
                // One byte, one unit: the general case below, without its loops.
                let isLast = index + 1 == line.count
                let literal = isLiteral(byte, isLast: isLast)
                let size = literal ? 1 : 3
                if column > 0 && column + size > (isLast ? maximumLineLength : maximumLineLength - 1) {
                    output.append(UInt8(ascii: "="))
                    output.append(0x0D)
                    output.append(0x0A)
                    column = 0
                }
                if column == 0 && needsEscapeAtLineStart(line, at: index) {
                    appendEscaped(byte, to: &output)
                    column = 3
                } else if literal {
                    output.append(byte)
                    column += 1
                } else {
                    appendEscaped(byte, to: &output)
                    column += 3
                }
                index += 1
                continue
            }
            let length = unitLength(line, at: index)
            let next = index + length
            let isLast = next == line.count
            var size = 0
            for position in index..<next {
                size += isLiteral(line[position], isLast: isLast) ? 1 : 3
            }
            let limit = isLast ? maximumLineLength : maximumLineLength - 1
            if column > 0 && column + size > limit {
                output.append(UInt8(ascii: "="))
                output.append(0x0D)
                output.append(0x0A)
                column = 0
            }
            if column == 0 && length == 1 && needsEscapeAtLineStart(line, at: index) {
                appendEscaped(line[index], to: &output)
                column = 3
            } else {
                for position in index..<next {
                    let byte = line[position]
                    if isLiteral(byte, isLast: isLast) {
                        output.append(byte)
                    } else {
                        appendEscaped(byte, to: &output)
                    }
                }
                column += size
            }
            index = next
        }
    }

    /// Whether the line can be written as it is: short enough, printable ASCII without `=`, no whitespace at its end,
    /// and not starting with `.` or `From `.
    private static func isPlain(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        guard line.count <= maximumLineLength else { return false }
        guard let last = line.last else { return true }
        if last == 0x20 || last == 0x09 || needsEscapeAtLineStart(line, at: 0) {
            return false
        }
        for byte in line where !(byte >= 0x20 && byte <= 0x7E && byte != UInt8(ascii: "=")) && byte != 0x09 {
            return false
        }
        return true
    }

    /// Whether the byte at `index` would start an encoded line as `.` or as the `F` of `From `.
    private static func needsEscapeAtLineStart(_ line: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        let byte = line[index]
        if byte == UInt8(ascii: ".") {
            return true
        }
        if byte == UInt8(ascii: "F") {
            return line[index...].prefix(5).elementsEqual("From ".utf8)
        }
        return false
    }

    /// The number of bytes in the UTF-8 sequence starting at `index`; 1 for anything that is not a well-formed lead.
    private static func unitLength(_ line: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
        let lead = line[index]
        let expected: Int
        switch lead {
        case 0xC2...0xDF: expected = 2
        case 0xE0...0xEF: expected = 3
        case 0xF0...0xF4: expected = 4
        default: return 1
        }
        guard index + expected <= line.count else {
            return 1
        }
        for offset in 1..<expected where line[index + offset] & 0xC0 != 0x80 {
            return 1
        }
        return expected
    }

    /// Whether the byte may be written as itself: printable ASCII except `=`, and SP/TAB unless at the line end.
    private static func isLiteral(_ byte: UInt8, isLast: Bool) -> Bool {
        if byte == 0x20 || byte == 0x09 {
            return !isLast
        }
        return byte >= 0x21 && byte <= 0x7E && byte != UInt8(ascii: "=")
    }

    private static func appendEscaped(_ byte: UInt8, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "="))
        output.append(HeaderText.hexDigits[Int(byte >> 4)])
        output.append(HeaderText.hexDigits[Int(byte & 0x0F)])
    }
}
