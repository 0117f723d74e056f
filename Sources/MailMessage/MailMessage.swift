import Foundation

/// A newsletter email: RFC 5322 headers and a MIME body (RFC 2045–2049) rendered to deterministic CRLF bytes.
///
/// The body is `text/plain` alone, `multipart/alternative` (text first, HTML last) when there is an HTML body, and
/// wrapped in `multipart/mixed` with the attachments after it when there are attachments. Bodies are UTF-8 and
/// quoted-printable; attachments are base64. Every header value is sanitized, so CR, LF or other control characters
/// in any input can never add or split a header field.
public struct MailMessage: Sendable {
    /// The author mailbox (`From`).
    public var from: MailAddress
    /// The recipients (`To`); the field is omitted when empty.
    public var to: [MailAddress]
    /// Where replies should go (`Reply-To`), or `nil`.
    public var replyTo: MailAddress?
    /// The subject as plain text; non-ASCII words are RFC 2047 encoded when rendered.
    public var subject: String
    /// The origination date (`Date`), written in ``timeZone``.
    public var date: Date
    /// The time zone the `Date` header is written in; UTC by default.
    public var timeZone: TimeZone
    /// The message identifier without angle brackets, `local@domain`; see ``MessageIDGenerator``. Characters not
    /// allowed in a msg-id are dropped when rendering; an identifier without `@` is replaced by one derived from it.
    public var messageID: String
    /// The plain-text body, as pieces; any line breaks (LF, CRLF or CR) are sent as CRLF.
    public var text: TextBody
    /// The HTML body as pieces, or `nil` for a text-only message.
    public var html: TextBody?
    /// Files attached after the body.
    public var attachments: [MailAttachment]
    /// The mailing-list header fields, or `nil`.
    public var listHeaders: ListHeaders?
    /// Further header fields, written after the list headers in the given order; fields whose names the message
    /// writes itself (``reservedHeaderNames``) are skipped.
    public var extraHeaders: [MailHeader]

    /// Lowercased names of the header fields the message writes itself (plus `bcc` and `dkim-signature`), which
    /// ``extraHeaders`` cannot add.
    public static let reservedHeaderNames: Set<String> = [
        "date", "from", "sender", "reply-to", "to", "cc", "bcc", "subject", "message-id", "mime-version",
        "content-type", "content-transfer-encoding", "content-disposition", "list-id", "list-unsubscribe",
        "list-unsubscribe-post", "list-help", "list-post", "dkim-signature",
    ]

    /// Creates a message.
    public init(
        from: MailAddress, to: [MailAddress], replyTo: MailAddress? = nil, subject: String, date: Date,
        timeZone: TimeZone = TimeZone(secondsFromGMT: 0) ?? .current, messageID: String, textBody: String,
        htmlBody: String? = nil, attachments: [MailAttachment] = [], listHeaders: ListHeaders? = nil,
        extraHeaders: [MailHeader] = []
    ) {
        self.from = from
        self.to = to
        self.replyTo = replyTo
        self.subject = subject
        self.date = date
        self.timeZone = timeZone
        self.messageID = messageID
        self.text = TextBody(textBody)
        self.html = htmlBody.map { TextBody($0) }
        self.attachments = attachments
        self.listHeaders = listHeaders
        self.extraHeaders = extraHeaders
    }

    /// The plain-text body as one string.
    public var textBody: String {
        get { text.text }
        set { text = TextBody(newValue) }
    }

    /// The HTML body as one string, or `nil` for a text-only message.
    public var htmlBody: String? {
        get { html?.text }
        set { html = newValue.map { TextBody($0) } }
    }
}
