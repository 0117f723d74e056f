import Foundation

/// Resolution of the links feeds carry.
enum FeedURL {
    /// Resolves `reference` (trimmed; spaces and other illegal characters percent-encoded) against `base`.
    ///
    /// Returns nil for an empty reference or one that cannot form a URL; an absolute result has a scheme.
    static func resolve(_ reference: String, against base: URL?) -> URL? {
        let trimmed = reference.trimmedWhitespace
        guard !trimmed.isEmpty else { return nil }
        let url =
            URL(string: trimmed, relativeTo: base)
            ?? trimmed.addingPercentEncoding(withAllowedCharacters: allowed).flatMap {
                URL(string: $0, relativeTo: base)
            }
        guard let absolute = url?.absoluteURL, absolute.scheme != nil else { return nil }
        return absolute
    }

    private static let allowed: CharacterSet = {
        var set = CharacterSet.urlQueryAllowed
        set.insert(charactersIn: "#%")
        return set
    }()
}
