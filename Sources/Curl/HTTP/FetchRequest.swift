import Foundation

/// One resource to fetch over HTTP(S) or from a local file, with the limits that apply to it: a GET by default, or a
/// request with a method, headers and a body (HTTP(S) only).
public struct FetchRequest: Sendable {
    /// An `http`, `https` or `file` URL; a URL without a scheme is read as a local path.
    public var url: URL
    /// The entity tag from the previous fetch, sent as `If-None-Match`.
    public var etag: String?
    /// The `Last-Modified` value from the previous fetch, sent verbatim as `If-Modified-Since`.
    public var lastModified: String?
    /// How long to wait for a connection and for the whole transfer.
    public var timeout: FetchTimeout
    /// The largest body accepted, counted after decompression; a larger one fails the fetch.
    public var maxBytes: Int
    /// The most redirects followed (HTTP and HTTPS targets only); one more fails with "more than N redirects".
    public var maxRedirects: Int
    /// The `User-Agent` header.
    public var userAgent: String
    /// A PEM file of CA certificates to trust for HTTPS, in place of the system bundle.
    public var caFile: String?
    /// The method; `.get` by default. A body needs `.post`, and a `file:` request is always a GET.
    public var method: HTTPMethod
    /// Extra request headers, sent in order after libcurl's own. A header the caller sets replaces libcurl's default of
    /// the same name (`Accept`, `User-Agent`, `Content-Type`); `Content-Length` and `Transfer-Encoding` come from the
    /// body and may not be set. Ignored for `file:` requests (but checked).
    ///
    /// They go only to the origin (scheme, host and port) of `url`: a redirect to another origin, an https → http one
    /// included, continues without them for the rest of the chain (only `Content-Type` and the other headers that
    /// describe a body a 307 or 308 still sends stay with it). A redirect that turns a POST into a GET drops the
    /// body's headers.
    public var headers: [HTTPHeader]
    /// What a POST sends; nil sends an empty body. A GET with a body is refused as a usage error.
    public var body: RequestBody?

    /// Creates a request; the defaults are a GET without extra headers, a 10 s connect / 30 s total timeout, 10 MB,
    /// 5 redirects.
    public init(
        url: URL,
        etag: String? = nil,
        lastModified: String? = nil,
        timeout: FetchTimeout = FetchTimeout(),
        maxBytes: Int = 10 * 1024 * 1024,
        maxRedirects: Int = 5,
        userAgent: String = "digest/1.0 (+newsletter builder; libcurl)",
        caFile: String? = nil,
        method: HTTPMethod = .get,
        headers: [HTTPHeader] = [],
        body: RequestBody? = nil
    ) {
        self.url = url
        self.etag = etag
        self.lastModified = lastModified
        self.timeout = timeout
        self.maxBytes = maxBytes
        self.maxRedirects = maxRedirects
        self.userAgent = userAgent
        self.caFile = caFile
        self.method = method
        self.headers = headers
        self.body = body
    }

    /// True when the request reads a local file rather than an HTTP(S) resource.
    var isFile: Bool {
        url.scheme == nil || url.isFileURL
    }

    /// The URL libcurl is given: plain paths become `file://` URLs.
    var curlURL: String {
        if url.scheme == nil {
            return URL(fileURLWithPath: url.path).absoluteString
        }
        return url.absoluteString
    }
}
