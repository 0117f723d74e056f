/// What became of one message handed to `SMTPTransport.send`.
public enum SMTPOutcome: Sendable, Equatable {
    /// The server accepted the message for at least one recipient; `reply` is its final reply (`250 … queued as …`).
    case delivered(reply: String)
    /// The server refused this message for good (a 5xx reply to MAIL, RCPT or the data); not retried.
    /// `code` is the SMTP reply code, or 0 when the failure happened below SMTP.
    case permanentFailure(code: Int, reply: String)
    /// A temporary refusal or a network failure that lasted through every retry. `code` is 0 when no reply came.
    case transientFailure(code: Int, reply: String)
    /// The session could not be set up, whatever the message: AUTH was refused (`535 …`), the server demands
    /// authentication first (`530`), TLS failed or the certificate is not trusted, or no bearer token could be had.
    /// Every message would fail alike until the configuration or the server is fixed, so the transport sends no
    /// further message once it has seen one. `code` is the SMTP reply code, 0 when the failure happened below SMTP.
    case sessionFailure(code: Int, reply: String)

    /// True for `.delivered`.
    public var isDelivered: Bool {
        if case .delivered = self { return true }
        return false
    }

    /// The server's reply text, or a description of the failure.
    public var reply: String {
        switch self {
        case .delivered(let reply), .permanentFailure(_, let reply), .transientFailure(_, let reply),
            .sessionFailure(_, let reply):
            return reply
        }
    }
}
