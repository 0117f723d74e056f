/// Why no OAuth 2.0 access token could be had: the token URL cannot be used, the endpoint could not be reached, or
/// it refused (RFC 6749 §5.2) or answered something that is not a token.
public struct OAuth2Error: Error, CustomStringConvertible, Sendable, Equatable {
    /// What went wrong, for people: the endpoint's URL and its own `error` and `error_description` when it gave them,
    /// with control characters escaped. Never the client secret.
    public var reason: String
    /// The endpoint's `error` code (`invalid_client`, `invalid_scope`, …), escaped, when it gave one.
    public var code: String?

    /// Creates an error.
    public init(reason: String, code: String? = nil) {
        self.reason = reason
        self.code = code
    }

    /// The reason.
    public var description: String { reason }
}
