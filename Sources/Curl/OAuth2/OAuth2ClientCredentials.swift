import Foundation

/// Access tokens from the OAuth 2.0 client-credentials grant (RFC 6749 §4.4), as Microsoft 365 wants them for SMTP
/// AUTH XOAUTH2: a form POST of `grant_type=client_credentials`, `client_id`, `client_secret` and `scope` to the token
/// endpoint over HTTPS (plain HTTP only to a loopback host), with libcurl (`HTTPFetcher`).
///
/// A token is kept in memory (never on disk) until shortly before its `expires_in` runs out (see
/// `OAuth2Token.useFor`); callers that ask at the same time share one request. A failed request is not kept: the next
/// call asks again. Errors carry the endpoint's `error` and `error_description`, escaped, and never the secret.
public actor OAuth2ClientCredentials: SMTPTokenSource {
    /// The token endpoint.
    public nonisolated let tokenURL: URL
    private let clientID: String
    private let clientSecret: String
    private let scope: String?
    private let timeout: Duration
    private let fetcher: HTTPFetcher
    private var current: (value: String, until: ContinuousClock.Instant)?
    private var pending: Task<Result<OAuth2Token, OAuth2Error>, Never>?
    /// How many token requests were sent so far.
    public private(set) var requestCount = 0

    /// A grant for `clientID` with `clientSecret` (never shown in any message) at `tokenURL`; throws when the URL is
    /// not `https://`, or `http://` to 127.0.0.1, ::1 or localhost. `timeout` bounds each request, retries included.
    public init(
        tokenURL: URL, clientID: String, clientSecret: String, scope: String?, timeout: Duration = .seconds(30),
        retries: Int = 2
    ) throws(OAuth2Error) {
        try Self.validate(tokenURL)
        self.tokenURL = tokenURL
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.scope = scope
        self.timeout = timeout
        fetcher = HTTPFetcher(maxConcurrent: 1, retries: retries)
    }

    /// Throws unless `url` is `https://` with a host, or `http://` to a loopback host.
    public static func validate(_ url: URL) throws(OAuth2Error) {
        let scheme = url.scheme?.lowercased()
        let shown = SMTPConfiguration.redacted(url)
        guard let host = url.host, !host.isEmpty, scheme == "https" || scheme == "http" else {
            throw OAuth2Error(reason: "the OAuth2 token URL \(shown) must be an https:// URL with a host")
        }
        if scheme == "http" && !LoopbackHost.contains(host) {
            throw OAuth2Error(
                reason: "the OAuth2 token URL \(shown) would send the client secret in plain text to \(host); "
                    + "use https:// (http:// is allowed only for 127.0.0.1, ::1 or localhost)")
        }
    }

    /// A valid access token: the one in memory while it lasts, else a new one from the endpoint.
    public func token() async throws(OAuth2Error) -> String {
        if let current, ContinuousClock.now < current.until { return current.value }
        let task: Task<Result<OAuth2Token, OAuth2Error>, Never>
        if let pending {
            task = pending
        } else {
            let started = ContinuousClock.now
            requestCount += 1
            task = Task { [fetcher, request = makeRequest(), tokenURL, clientSecret] in
                await Self.fetch(request, with: fetcher, from: tokenURL, hiding: clientSecret)
            }
            pending = task
            if case .success(let token) = await task.value { current = (token.value, started + token.useFor) }
            pending = nil
        }
        switch await task.value {
        case .success(let token): return token.value
        case .failure(let error): throw error
        }
    }

    /// `SMTPTokenSource`: `token()`, its error's reason as an `SMTPError`.
    public func bearerToken() async throws(SMTPError) -> String {
        do throws(OAuth2Error) {
            return try await token()
        } catch {
            throw SMTPError(reason: error.reason)
        }
    }

    private func makeRequest() -> FetchRequest {
        var fields = [
            FormField(name: "grant_type", value: "client_credentials"),
            FormField(name: "client_id", value: clientID),
            FormField(name: "client_secret", value: clientSecret),
        ]
        if let scope { fields.append(FormField(name: "scope", value: scope)) }
        return FetchRequest(
            url: tokenURL, timeout: FetchTimeout(connect: min(timeout, .seconds(10)), total: timeout),
            maxBytes: 64 * 1024, maxRedirects: 0, method: .post,
            headers: [HTTPHeader(name: "Accept", value: "application/json")], body: .form(fields))
    }

    /// Sends the token request and reads the answer (a token, or the endpoint's RFC 6749 §5.2 error).
    private static func fetch(
        _ request: FetchRequest, with fetcher: HTTPFetcher, from url: URL, hiding secret: String
    ) async -> Result<OAuth2Token, OAuth2Error> {
        let shown = SMTPConfiguration.redacted(url)
        do throws(FetchError) {
            let response = try await fetcher.fetch(request)
            switch OAuth2Token.parse(response.body) {
            case .success(let token): return .success(token)
            case .failure(let why):
                return .failure(OAuth2Error(reason: "the OAuth2 token endpoint \(shown) \(why.reason)"))
            }
        } catch {
            guard let status = error.status else {
                return .failure(
                    OAuth2Error(reason: "the OAuth2 token endpoint \(shown) could not be reached: \(error.reason)"))
            }
            let (code, description) = endpointError(error.responseBody, hiding: secret)
            var reason = "the OAuth2 token endpoint \(shown) refused the request: HTTP \(status)"
            if let code { reason += ", \(code)" }
            if let description { reason += ": \"\(description)\"" }
            return .failure(OAuth2Error(reason: reason, code: code))
        }
    }

    /// The `error` and `error_description` of an error response (RFC 6749 §5.2), escaped, shortened, and with the
    /// client secret masked should the endpoint repeat it.
    static func endpointError(_ body: Data?, hiding secret: String) -> (code: String?, description: String?) {
        guard let body, let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else {
            return (nil, nil)
        }
        func clean(_ key: String, limit: Int) -> String? {
            guard var text = object[key] as? String, !text.isEmpty else { return nil }
            if !secret.isEmpty { text = text.replacingOccurrences(of: secret, with: "***") }
            return PrintableText.escaped(text, limit: limit)
        }
        return (clean("error", limit: 60), clean("error_description", limit: 300))
    }
}
