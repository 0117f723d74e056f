/// The detailed result of sending one message: the outcome and what the server said to each recipient.
public struct SMTPReport: Sendable, Equatable {
    /// The message's outcome.
    public var outcome: SMTPOutcome
    /// One entry per envelope recipient, in envelope order, from the last attempt.
    public var recipients: [SMTPRecipientResult]
    /// How many attempts were made.
    public var attempts: Int

    /// Creates a report.
    public init(outcome: SMTPOutcome, recipients: [SMTPRecipientResult], attempts: Int = 1) {
        self.outcome = outcome
        self.recipients = recipients
        self.attempts = attempts
    }
}

/// The server's answer to one `RCPT TO`.
public struct SMTPRecipientResult: Sendable, Equatable {
    /// The recipient address.
    public var address: String
    /// The RCPT reply code, or 0 when the transaction ended before this recipient was asked for.
    public var code: Int
    /// The RCPT reply text (empty when there was none).
    public var reply: String

    /// True when the server accepted this recipient (a 2xx reply to RCPT).
    public var accepted: Bool { (200..<300).contains(code) }

    /// Creates a recipient result.
    public init(address: String, code: Int, reply: String) {
        self.address = address
        self.code = code
        self.reply = reply
    }
}
