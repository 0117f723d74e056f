/// DKIM "relaxed" canonicalization (RFC 6376 §3.4.2 for header fields, §3.4.4 for the body), and the split of a
/// message into header fields and body that it works on.
public enum DKIMCanonicalization {
    /// One header field: its lowercased name and its raw bytes (name, colon, value with any folding, no final CRLF).
    struct Field {
        var name: String
        var raw: ArraySlice<UInt8>
    }

    /// A header field in relaxed form: lowercased name, no whitespace around the colon, the value unfolded, runs of
    /// SP/TAB reduced to one SP, leading and trailing whitespace removed; followed by CRLF.
    /// - Parameter field: The raw field bytes, `Name: value` with any folding, without the final CRLF.
    public static func relaxedHeader(_ field: some Collection<UInt8>) -> [UInt8] {
        let bytes = Array(field)
        let colon = bytes.firstIndex(of: UInt8(ascii: ":")) ?? bytes.count
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + 2)
        for byte in bytes[..<colon] where !isWhitespace(byte) && byte != 0x0D && byte != 0x0A {
            output.append(lowercased(byte))
        }
        output.append(UInt8(ascii: ":"))
        var pendingSpace = false
        var started = false
        for byte in bytes[min(colon + 1, bytes.count)...] {
            if byte == 0x0D || byte == 0x0A {
                continue
            }
            if isWhitespace(byte) {
                pendingSpace = started
                continue
            }
            if pendingSpace {
                output.append(0x20)
                pendingSpace = false
            }
            output.append(byte)
            started = true
        }
        output += [0x0D, 0x0A]
        return output
    }

    /// The body in relaxed form: whitespace at line ends removed, runs of SP/TAB reduced to one SP, empty lines at
    /// the end removed, and a final CRLF on a non-empty body; an empty body stays empty.
    /// - Parameter body: The body bytes with CRLF line ends.
    public static func relaxedBody(_ body: some Collection<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(body.count)
        var line: [UInt8] = []
        var pendingEmptyLines = 0
        var pendingSpace = false
        var previousWasCR = false

        func finishLine() {
            if line.isEmpty {
                pendingEmptyLines += 1
            } else {
                for _ in 0..<pendingEmptyLines {
                    output += [0x0D, 0x0A]
                }
                pendingEmptyLines = 0
                output += line
                output += [0x0D, 0x0A]
            }
            line.removeAll(keepingCapacity: true)
            pendingSpace = false
        }

        for byte in body {
            if byte == 0x0A && previousWasCR {
                previousWasCR = false
                finishLine()
                continue
            }
            if previousWasCR {
                appendContent(0x0D, to: &line, pendingSpace: &pendingSpace)
            }
            previousWasCR = byte == 0x0D
            if previousWasCR {
                continue
            }
            if isWhitespace(byte) {
                pendingSpace = true
            } else {
                appendContent(byte, to: &line, pendingSpace: &pendingSpace)
            }
        }
        if previousWasCR {
            appendContent(0x0D, to: &line, pendingSpace: &pendingSpace)
        }
        if !line.isEmpty {
            finishLine()
        }
        return output
    }

    private static func appendContent(_ byte: UInt8, to line: inout [UInt8], pendingSpace: inout Bool) {
        if pendingSpace {
            line.append(0x20)
            pendingSpace = false
        }
        line.append(byte)
    }

    /// The header fields of a CRLF message in order, and the index where the body starts (after the empty line).
    static func split(_ message: [UInt8]) -> (fields: [Field], bodyStart: Int) {
        var fields: [Field] = []
        var start: Int?
        var index = 0
        var bodyStart = message.count
        while index < message.count {
            var lineEnd = index
            while lineEnd + 1 < message.count && !(message[lineEnd] == 0x0D && message[lineEnd + 1] == 0x0A) {
                lineEnd += 1
            }
            let hasCRLF = lineEnd + 1 < message.count
            if !hasCRLF {
                lineEnd = message.count
            }
            if lineEnd == index {
                bodyStart = index + 2
                break
            }
            if isWhitespace(message[index]), let fieldStart = start {
                fields[fields.count - 1] = field(message[fieldStart..<lineEnd])
            } else {
                start = index
                fields.append(field(message[index..<lineEnd]))
            }
            index = lineEnd + 2
        }
        return (fields, min(bodyStart, message.count))
    }

    private static func field(_ raw: ArraySlice<UInt8>) -> Field {
        let colon = raw.firstIndex(of: UInt8(ascii: ":")) ?? raw.endIndex
        let name = raw[raw.startIndex..<colon].filter { !isWhitespace($0) }.map(lowercased)
        return Field(name: String(decoding: name, as: UTF8.self), raw: raw)
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
    }
}
