/// Where an SMTP transport gets the OAuth 2.0 bearer token it authenticates with (SASL `XOAUTH2`).
///
/// The transport asks before every message; a source is expected to keep its token until shortly before it expires,
/// so that asking is cheap. A thrown error stops the transport like a refused login (`SMTPOutcome.sessionFailure`).
public protocol SMTPTokenSource: Sendable {
    /// A currently valid access token, or an error whose reason says why none could be had (never a secret).
    func bearerToken() async throws(SMTPError) -> String
}
