import Foundation

/// An access token from a token endpoint's successful response (RFC 6749 §5.1).
public struct OAuth2Token: Sendable, Equatable {
    /// The `access_token`.
    public var value: String
    /// `expires_in`: how long the token is valid from when it was issued; nil when the endpoint did not say.
    public var lifetime: Duration?

    /// Creates a token.
    public init(value: String, lifetime: Duration?) {
        self.value = value
        self.lifetime = lifetime
    }

    /// Reads a token response: JSON with a non-empty `access_token`, a `token_type` of `Bearer` (any case) when
    /// given, and `expires_in` as a number of seconds (a numeric string is taken too); otherwise an error whose
    /// reason says what the endpoint answered instead ("answered without an access_token").
    static func parse(_ body: Data) -> Result<OAuth2Token, OAuth2Error> {
        guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else {
            return .failure(OAuth2Error(reason: "answered something that is not a JSON object"))
        }
        guard let value = object["access_token"] as? String, !value.isEmpty else {
            return .failure(OAuth2Error(reason: "answered without an access_token"))
        }
        if let type = object["token_type"] as? String, type.lowercased() != "bearer" {
            let shown = PrintableText.escaped(type, limit: 40)
            return .failure(OAuth2Error(reason: "answered a token of type \"\(shown)\", not Bearer"))
        }
        var seconds: Double?
        if let number = object["expires_in"] as? NSNumber {
            seconds = number.doubleValue
        } else if let text = object["expires_in"] as? String {
            seconds = Double(text)
        }
        let lifetime = seconds.flatMap { $0.isFinite && $0 > 0 ? Duration.milliseconds(Int64($0 * 1000)) : nil }
        return .success(OAuth2Token(value: value, lifetime: lifetime))
    }

    /// How long after it was requested the token is used: its lifetime less a margin of a tenth of it, at most 60 s
    /// (5 minutes when the endpoint gave no lifetime), so that a token is never sent just as it expires.
    var useFor: Duration {
        guard let lifetime else { return .seconds(300) }
        return lifetime - min(.seconds(60), lifetime / 10)
    }
}
