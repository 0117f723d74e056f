import Foundation

/// Base64 text in Atom: `mode="base64"` (Atom 0.3) or a `type` that is a media type neither text nor XML
/// (RFC 4287 section 4.1.3.3, step 5), which the element holds base64-encoded.
enum AtomBase64 {
    /// Whether an element with this (lower-cased) `type` and `mode` holds base64.
    static func applies(type: String, mode: String?) -> Bool {
        if mode?.lowercased() == "base64" { return true }
        let mediaType = type.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? type
        guard mediaType.contains("/") else { return false }  // text, html, xhtml
        return !mediaType.hasPrefix("text/") && !mediaType.hasSuffix("+xml") && !mediaType.hasSuffix("/xml")
    }

    /// The UTF-8 text `encoded` holds (whitespace between the base64 lines allowed), or nil when it is not base64 of
    /// UTF-8 text (an image, say, which a digest cannot show as text).
    static func decode(_ encoded: String) -> String? {
        let compact = encoded.filter { !$0.isWhitespace }
        guard !compact.isEmpty, let data = Data(base64Encoded: compact) else { return nil }
        return String(validating: [UInt8](data), as: UTF8.self)
    }
}
