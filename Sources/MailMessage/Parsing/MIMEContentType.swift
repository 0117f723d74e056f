import Foundation

/// A parsed Content-Type value: `multipart/report; report-type=delivery-status; boundary="x"`.
public struct MIMEContentType: Sendable, Hashable {
    /// `type/subtype`, lower-cased.
    public var mediaType: String
    /// Parameters by lower-cased name, unquoted.
    public var parameters: [String: String]

    /// Parses a Content-Type header value.
    public init(_ value: String) {
        var pieces: [String] = []
        var current = ""
        var quoted = false
        for character in value {
            if character == "\"" {
                quoted.toggle()
            } else if character == ";" && !quoted {
                pieces.append(current)
                current = ""
                continue
            }
            current.append(character)
        }
        pieces.append(current)
        mediaType = pieces.first?.trimmingCharacters(in: .whitespaces).lowercased() ?? "text/plain"
        var parameters: [String: String] = [:]
        for piece in pieces.dropFirst() {
            guard let equals = piece.firstIndex(of: "=") else { continue }
            let name = piece[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            var raw = piece[piece.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if raw.hasPrefix("\"") && raw.hasSuffix("\"") && raw.count >= 2 { raw = String(raw.dropFirst().dropLast()) }
            parameters[name] = raw
        }
        self.parameters = parameters
    }

    /// Whether this is any `multipart/*` type.
    public var isMultipart: Bool { mediaType.hasPrefix("multipart/") }
}
