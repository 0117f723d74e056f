import Foundation

/// A received message split into header fields and body, with its MIME parts when it is multipart.
///
/// Reading is tolerant: bare LF line endings, folded headers, missing boundaries and unknown encodings are accepted,
/// so that bounces and replies from any mail server can be read.
public struct ParsedMessage: Sendable {
    /// Header fields in order, names as written, values unfolded.
    public var headers: [MailHeader]
    /// The body, transfer-decoded.
    public var body: [UInt8]
    /// The parts of a multipart body, each parsed in turn; empty otherwise.
    public var parts: [ParsedMessage]

    /// Parses `bytes` (a whole message, or a MIME part).
    public init(_ bytes: [UInt8]) {
        let (headerBytes, bodyBytes) = Self.split(bytes)
        headers = Self.parseHeaders(headerBytes)
        let type = MIMEContentType(headers.first { $0.name.lowercased() == "content-type" }?.value ?? "text/plain")
        let encoding = headers.first { $0.name.lowercased() == "content-transfer-encoding" }?.value
            .trimmingCharacters(in: .whitespaces).lowercased()
        if type.isMultipart, let boundary = type.parameters["boundary"] {
            body = bodyBytes
            parts = Self.splitParts(bodyBytes, boundary: boundary).map(ParsedMessage.init)
        } else {
            body = TransferDecoding.decode(bodyBytes, encoding: encoding)
            parts = []
        }
    }

    /// The first value of header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.name.lowercased() == lower }?.value
    }

    /// The parsed Content-Type (text/plain when absent).
    public var contentType: MIMEContentType {
        MIMEContentType(header("Content-Type") ?? "text/plain")
    }

    /// The body as text (UTF-8, falling back to Latin-1).
    public var text: String {
        String(bytes: body, encoding: .utf8) ?? String(decoding: body, as: UTF8.self)
    }

    /// Every part, depth first, this message included.
    public var allParts: [ParsedMessage] {
        [self] + parts.flatMap(\.allParts)
    }

    private static func split(_ bytes: [UInt8]) -> ([UInt8], [UInt8]) {
        var index = 0
        while index < bytes.count {
            if bytes[index] == 10 {
                let next = index + 1
                if next < bytes.count && bytes[next] == 10 {
                    return (Array(bytes[..<index]), Array(bytes[(next + 1)...]))
                }
                if next + 1 < bytes.count && bytes[next] == 13 && bytes[next + 1] == 10 {
                    return (Array(bytes[..<index]), Array(bytes[(next + 2)...]))
                }
            }
            index += 1
        }
        return (bytes, [])
    }

    static func parseHeaders(_ bytes: [UInt8]) -> [MailHeader] {
        let text = String(decoding: bytes, as: UTF8.self)
        var headers: [MailHeader] = []
        for rawLine in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine[...]
            if let first = line.first, first == " " || first == "\t", !headers.isEmpty {
                headers[headers.count - 1].value += " " + line.trimmingCharacters(in: .whitespaces)
            } else if let colon = line.firstIndex(of: ":") {
                let name = String(line[..<colon]).trimmingCharacters(in: .whitespaces)
                let value = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
                headers.append(MailHeader(name: name, value: value))
            }
        }
        return headers
    }

    private static func splitParts(_ bytes: [UInt8], boundary: String) -> [[UInt8]] {
        let delimiter = Array(("--" + boundary).utf8)
        var parts: [[UInt8]] = []
        var current: [UInt8]?
        var lineStart = 0
        var index = 0
        func endsPart(_ line: ArraySlice<UInt8>) -> (isDelimiter: Bool, isClose: Bool) {
            var trimmed = line
            while let last = trimmed.last, last == 13 || last == 32 || last == 9 { trimmed.removeLast() }
            guard trimmed.starts(with: delimiter) else { return (false, false) }
            let rest = trimmed.dropFirst(delimiter.count)
            if rest.isEmpty { return (true, false) }
            if rest.elementsEqual([45, 45]) { return (true, true) }
            return (false, false)
        }
        while index <= bytes.count {
            if index == bytes.count || bytes[index] == 10 {
                let line = bytes[lineStart..<index]
                let (isDelimiter, isClose) = endsPart(line)
                if isDelimiter {
                    if var part = current {
                        // The line break before a delimiter belongs to the delimiter.
                        if part.last == 10 { part.removeLast() }
                        if part.last == 13 { part.removeLast() }
                        parts.append(part)
                    }
                    current = isClose ? nil : []
                    if isClose { break }
                } else if current != nil {
                    current?.append(contentsOf: line)
                    if index < bytes.count { current?.append(10) }
                }
                lineStart = index + 1
            }
            index += 1
        }
        if let current, !current.isEmpty { parts.append(current) }
        return parts
    }
}
