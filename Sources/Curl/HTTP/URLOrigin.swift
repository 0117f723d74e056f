import CCurl

/// The origin of a URL (RFC 6454 §4): its scheme, host and port, as libcurl's own URL parser (`curl_url`) reads
/// them, so that a comparison matches where libcurl connects. Scheme and host are lower-cased; a URL without a port
/// gets its scheme's default (`http://h/` and `http://h:80/` are the same origin, `https://h/` is another).
public struct URLOrigin: Hashable, Sendable, CustomStringConvertible {
    /// `http`, `https`, …
    public var scheme: String
    /// The host name or address as written (IPv6 in brackets), lower-cased; empty when the URL has none.
    public var host: String
    /// The port, or the scheme's default; nil when neither is known.
    public var port: Int?

    /// `scheme://host:port`.
    public var description: String {
        "\(scheme)://\(host)" + (port.map { ":\($0)" } ?? "")
    }

    /// The origin of the absolute URL `text` as libcurl reads it, or nil when libcurl refuses the URL.
    public init?(of text: String) {
        guard let parsed = try? CurlURL(text, flags: CurlURL.requestFlags) else { return nil }  // refused: no origin
        self = parsed.origin
    }

    init(scheme: String, host: String, port: Int?) {
        self.scheme = scheme
        self.host = host
        self.port = port
    }
}

/// A URL as libcurl parses it (`curl_url_set(CURLUPART_URL, …)`).
struct CurlURL: Equatable, Sendable {
    /// The whole URL as libcurl writes it back (normalised: relative parts resolved, spaces encoded when asked).
    var text: String
    /// Its scheme, host and port.
    var origin: URLOrigin

    /// Why `curl_url_set` refused a URL.
    struct Failure: Error, Equatable {
        /// What libcurl returned.
        var code: CURLUcode
        /// libcurl's text for it (`curl_url_strerror`).
        var reason: String {
            String(cString: curl_url_strerror(code))
        }
    }

    /// The flags libcurl uses for `CURLOPT_URL` (`CURLU_GUESS_SCHEME | CURLU_NON_SUPPORT_SCHEME`).
    static let requestFlags = UInt32(CURLU_GUESS_SCHEME | CURLU_NON_SUPPORT_SCHEME)
    /// The flags libcurl uses for a `Location` it follows (`CURLU_URLENCODE | CURLU_ALLOW_SPACE`): spaces and bytes
    /// outside ASCII are percent-encoded.
    static let redirectFlags = UInt32(CURLU_URLENCODE | CURLU_ALLOW_SPACE)

    /// Parses the absolute URL `text` with `flags`; throws libcurl's refusal.
    init(_ text: String, flags: UInt32) throws(Failure) {
        guard let handle = curl_url() else { throw Failure(code: CURLUE_OUT_OF_MEMORY) }
        defer { curl_url_cleanup(handle) }
        let code = curl_url_set(handle, CURLUPART_URL, text, flags)
        guard code == CURLUE_OK else { throw Failure(code: code) }
        func part(_ what: CURLUPart, _ flags: UInt32 = 0) throws(Failure) -> String? {
            var value: UnsafeMutablePointer<CChar>?
            let code = curl_url_get(handle, what, &value, flags)
            defer { curl_free(value) }
            switch code {
            case CURLUE_OK: return value.map { String(cString: $0) }
            case CURLUE_NO_HOST, CURLUE_NO_PORT: return nil
            default: throw Failure(code: code)
            }
        }
        guard let whole = try part(CURLUPART_URL), let scheme = try part(CURLUPART_SCHEME) else {
            throw Failure(code: CURLUE_NO_SCHEME)
        }
        self.text = whole
        origin = URLOrigin(
            scheme: scheme.lowercased(), host: (try part(CURLUPART_HOST) ?? "").lowercased(),
            port: try part(CURLUPART_PORT, UInt32(CURLU_DEFAULT_PORT)).flatMap { Int($0) })
    }
}
