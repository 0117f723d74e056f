import Foundation

/// The parts of a `Content-Type` value that a feed reader needs.
struct ContentType: Equatable {
    /// The media type, lower-cased (`application/rss+xml`), or nil when there was no header.
    var mediaType: String?
    /// The `charset` parameter, lower-cased and unquoted.
    var charset: String?

    /// Parses `text/html; charset="ISO-8859-1"`; nil gives an empty value.
    init(_ header: String?) {
        guard let header else { return }
        let parts = header.split(separator: ";", omittingEmptySubsequences: false)
        let media = parts.first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        mediaType = media.isEmpty ? nil : media
        for parameter in parts.dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "charset" else {
                continue
            }
            let value = pair[1].trimmingCharacters(in: .whitespaces).trimmingCharacters(
                in: CharacterSet(charactersIn: "\""))
            charset = value.isEmpty ? nil : value.lowercased()
        }
    }
}
