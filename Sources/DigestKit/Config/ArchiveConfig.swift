import Foundation

/// The `archive:` section: where the public archive of every issue is written (`digest archive`, and after each
/// `digest send` when `out` is set) and the URL it is published at (for the messages' `List-Archive` header and
/// "Visa i webbläsaren" link).
public struct ArchiveConfig: Sendable, Equatable {
    /// The folder the static site is written to (resolved against the config's folder), if set.
    public var out: URL?
    /// The public URL of that folder, such as `https://digest.example.se/archive/`, if set.
    public var baseURL: URL?

    /// No archive.
    public init(out: URL? = nil, baseURL: URL? = nil) {
        self.out = out
        self.baseURL = baseURL
    }

    /// The public page of issue `id` (`<baseURL>/<id>.html`), when the base URL is set.
    public func pageURL(issue id: String) -> URL? {
        baseURL.map { Self.folderURL($0).appendingPathComponent(ArchiveSite.pageName(issue: id)) }
    }

    /// The archive's index (`<baseURL>/`), when the base URL is set.
    public var indexURL: URL? { baseURL.map(Self.folderURL) }

    /// `url` ending in a slash, so names resolve inside it.
    static func folderURL(_ url: URL) -> URL {
        url.absoluteString.hasSuffix("/") ? url : URL(string: url.absoluteString + "/") ?? url
    }
}

/// The raw `archive:` section.
struct ArchiveConfigFile: Decodable {
    var out: String?
    var baseURL: URL?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case out, baseURL
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
        out = try container.decodeIfPresent(String.self, forKey: .out)
        if let base = try container.decodeIfPresent(String.self, forKey: .baseURL) {
            guard let url = URL(string: base), url.scheme == "https" || url.scheme == "http", url.host != nil,
                url.query == nil, url.fragment == nil
            else {
                throw DecodingError.dataCorruptedError(
                    forKey: .baseURL, in: container,
                    debugDescription: "'\(base)' is not an http(s) URL such as https://digest.example.se/archive/.")
            }
            baseURL = url
        }
    }
}
