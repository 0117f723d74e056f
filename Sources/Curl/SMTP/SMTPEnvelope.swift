/// Who a message is from and to, as told to the SMTP server (`MAIL FROM` and `RCPT TO`), apart from its headers.
public struct SMTPEnvelope: Sendable, Equatable {
    /// The bounce (return-path) address, without angle brackets.
    public var from: String
    /// The recipient addresses, without angle brackets; at least one.
    public var recipients: [String]

    /// Creates an envelope.
    public init(from: String, recipients: [String]) {
        self.from = from
        self.recipients = recipients
    }
}
