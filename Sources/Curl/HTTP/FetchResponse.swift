import Foundation

/// A successful fetch (2xx, 304, or a file read).
public struct FetchResponse: Sendable {
    /// The HTTP status of the final response; 0 for a file.
    public var status: Int
    /// The body, decompressed; empty for 304.
    public var body: Data
    /// The URL after redirects.
    public var finalURL: URL
    /// The final response's `ETag`, to send back next time.
    public var etag: String?
    /// The final response's `Last-Modified`, to send back next time.
    public var lastModified: String?
    /// The media type from `Content-Type`, lower-cased, without parameters (`application/rss+xml`).
    public var contentType: String?
    /// The `charset` parameter of `Content-Type`, lower-cased, as the server claimed it (it may be wrong).
    public var charset: String?
    /// True when the server answered 304 Not Modified to a conditional request.
    public var notModified: Bool
    /// How many attempts it took (1 when the first one succeeded).
    public var attempts: Int

    /// Creates a response value.
    public init(
        status: Int, body: Data, finalURL: URL, etag: String? = nil, lastModified: String? = nil,
        contentType: String? = nil, charset: String? = nil, notModified: Bool = false, attempts: Int = 1
    ) {
        self.status = status
        self.body = body
        self.finalURL = finalURL
        self.etag = etag
        self.lastModified = lastModified
        self.contentType = contentType
        self.charset = charset
        self.notModified = notModified
        self.attempts = attempts
    }
}
