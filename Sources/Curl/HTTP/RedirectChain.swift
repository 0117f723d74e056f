import CCurl

/// The requests of one HTTP(S) attempt, from the first to the last redirect, followed by hand (libcurl's
/// `CURLOPT_FOLLOWLOCATION` is off) so that the caller's headers, which may carry an API key, reach only the first
/// request's origin.
///
/// The rules, redirect by redirect:
/// - Every 3xx but 304 with a `Location` is followed, at most `maxRedirects` times (then "more than N redirects",
///   libcurl's `CURLE_TOO_MANY_REDIRECTS`), and only to `http` or `https` URLs (anything else, `file:` above all, is
///   `CURLE_UNSUPPORTED_PROTOCOL`). The target is resolved and encoded as libcurl resolves one it follows.
/// - The method changes as libcurl's defaults change it: 303 turns any request into a GET, 301 and 302 turn a POST
///   into a GET, every other status (307, 308) keeps the method and the body. A request that became a GET drops the
///   body and the headers that described it (`Content-Type`, `Content-Encoding`, `Content-Language`,
///   `Content-Location`), and sends the validators only if the first request was a GET.
/// - The caller's headers go along while the chain stays on the first origin (scheme, host and port). Once a redirect
///   leaves it, even for the same host on another scheme (https → http) or port, they are dropped for the rest of the
///   chain, coming back included, as browsers drop `Authorization`; only the headers describing a body that is still
///   sent (307, 308) stay with it. libcurl's own headers (User-Agent, Accept-Encoding) and the validators are not
///   the caller's and go everywhere.
struct RedirectChain {
    /// The request the chain started from.
    let request: FetchRequest
    /// The URL of the next request.
    private(set) var url: String
    /// The method of the next request.
    private(set) var method: HTTPMethod
    /// The caller's headers the next request sends.
    private(set) var headers: [HTTPHeader]
    /// How many redirects have been followed.
    private(set) var redirects = 0
    /// False once a redirect has led away from the first origin.
    private(set) var onFirstOrigin = true
    /// The origin of the next request (nil when libcurl could not parse the first URL: then it fails to connect).
    private(set) var origin: URLOrigin?
    /// The first request's origin.
    let firstOrigin: URLOrigin?

    /// Header names that describe a body (the Fetch standard's "request-body-header names").
    static let bodyHeaderNames: Set<String> = [
        "content-type", "content-encoding", "content-language", "content-location",
    ]

    /// A chain whose first request is `request`.
    init(_ request: FetchRequest) {
        self.request = request
        url = request.curlURL
        method = request.method
        headers = request.headers
        firstOrigin = try? CurlURL(request.curlURL, flags: CurlURL.requestFlags).origin
        origin = firstOrigin
    }

    /// The `CURLOPT_HTTPHEADER` lines of the next request.
    var headerLines: [String] {
        let validators = request.method == .get
        return HTTPTransfer.headerLines(
            method: method, headers: headers, body: method == .post ? request.body : nil,
            etag: validators ? request.etag : nil, lastModified: validators ? request.lastModified : nil)
    }

    /// True when a response with `status` is followed if it names a target: every 3xx but 304 (Not Modified).
    static func isRedirect(_ status: Int) -> Bool {
        (300..<400).contains(status) && status != 304
    }

    /// The method after a redirect with `status` of a `method` request, as libcurl does it by default
    /// (`CURLOPT_POSTREDIR` 0): 303 → GET; 301 or 302 after a POST → GET; otherwise unchanged.
    static func method(after status: Int, of method: HTTPMethod) -> HTTPMethod {
        switch status {
        case 301, 302, 303: return .get
        default: return method
        }
    }

    /// Why a redirect is not followed, as libcurl's code and its text (the error buffer's, for `explain`).
    struct Refusal: Error, Equatable {
        var code: CURLcode
        var detail: String
    }

    /// Moves the chain on after a `status` answer redirecting to `target` (`CURLINFO_REDIRECT_URL`), or throws when
    /// the redirect may not be followed: one too many, a target libcurl cannot parse, or one that is not http(s).
    mutating func follow(_ status: Int, to target: String) throws(Refusal) {
        guard redirects < max(0, request.maxRedirects) else {
            throw Refusal(
                code: CURLE_TOO_MANY_REDIRECTS, detail: "Maximum (\(max(0, request.maxRedirects))) redirects followed")
        }
        let next: CurlURL
        do throws(CurlURL.Failure) {
            next = try CurlURL(target, flags: CurlURL.redirectFlags)
        } catch {
            throw Refusal(
                code: error.code == CURLUE_OUT_OF_MEMORY ? CURLE_OUT_OF_MEMORY : CURLE_URL_MALFORMAT,
                detail: "The redirect target URL could not be parsed: \(error.reason)")
        }
        guard ["http", "https"].contains(next.origin.scheme) else {
            throw Refusal(
                code: CURLE_UNSUPPORTED_PROTOCOL, detail: "Protocol \"\(next.origin.scheme)\" disabled (in redirect)")
        }
        redirects += 1
        let nextMethod = Self.method(after: status, of: method)
        if nextMethod != method {
            headers.removeAll { Self.bodyHeaderNames.contains($0.name.lowercased()) }
        }
        method = nextMethod
        if next.origin != firstOrigin {
            onFirstOrigin = false
        }
        if !onFirstOrigin {
            let keepsBodyHeaders = method == .post
            headers.removeAll { !(keepsBodyHeaders && Self.bodyHeaderNames.contains($0.name.lowercased())) }
        }
        url = next.text
        origin = next.origin
    }
}
