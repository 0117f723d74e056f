/// An additional header field for a message, such as `X-Campaign: v12`.
///
/// The value is unstructured text: it is sanitized (control characters become spaces), RFC 2047 encoded where it
/// holds non-ASCII text and folded when the message is rendered. Field names are reduced to the printable ASCII
/// characters RFC 5322 §3.6.8 allows (no `:`); a name left empty, or one the message writes itself (see
/// ``MailMessage/reservedHeaderNames``), is skipped.
public struct MailHeader: Sendable, Hashable {
    /// The field name, such as `X-Campaign`.
    public var name: String
    /// The field value as plain text.
    public var value: String

    /// Creates a header field from a name and a plain-text value.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    /// The name reduced to RFC 5322 field-name characters (printable ASCII except `:`).
    var sanitizedName: String {
        String(decoding: name.utf8.filter { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: ":") }, as: UTF8.self)
    }
}
