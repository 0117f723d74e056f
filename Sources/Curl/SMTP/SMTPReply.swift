/// One complete SMTP reply (all lines of a multi-line reply), tagged with the command it answers.
struct SMTPReply: Sendable, Equatable {
    /// The command verb it answers (`MAIL`, `RCPT`, `DATA`, `BODY` for the end of the message data, `CONNECT` for
    /// the greeting, `OTHER` after an AUTH continuation line, whose text is never looked at).
    var command: String
    /// The three-digit reply code (0 when the line did not start with one).
    var code: Int
    /// The reply's lines without their line breaks.
    var lines: [String]

    /// The lines joined by a space.
    var text: String { lines.joined(separator: " ") }
}
