import Foundation

/// A file attached to a message, in its own MIME part outside the text/HTML alternative: base64-encoded, or
/// quoted-printable for text given as a ``TextBody``.
public struct MailAttachment: Sendable {
    /// How a client should present the attachment (RFC 2183).
    public enum Disposition: String, Sendable, Hashable {
        /// Shown as a separate file to open or save.
        case attachment
        /// Shown in the message body where the client can.
        case inline
    }

    /// The suggested file name, such as `evenemang.ics`; non-ASCII names are sent RFC 2231 encoded.
    public var filename: String
    /// The full Content-Type value, such as `text/calendar; method=PUBLISH; charset=UTF-8`.
    public var contentType: String
    /// The file's bytes (for a text attachment, its UTF-8).
    public var data: Data {
        get { text.map { Data($0.text.utf8) } ?? storedData }
        set {
            storedData = newValue
            text = nil
        }
    }
    private var storedData: Data
    /// The text of a text attachment, sent quoted-printable; `nil` for a binary attachment.
    public private(set) var text: TextBody?
    /// Attachment or inline.
    public var disposition: Disposition

    /// Creates an attachment.
    public init(filename: String, contentType: String, data: Data, disposition: Disposition = .attachment) {
        self.filename = filename
        self.contentType = contentType
        self.storedData = data
        self.text = nil
        self.disposition = disposition
    }

    /// A text attachment (such as a calendar), sent quoted-printable; its pieces are encoded once however many
    /// messages carry them. `contentType` should name the charset, UTF-8.
    public init(filename: String, contentType: String, text: TextBody, disposition: Disposition = .attachment) {
        self.filename = filename
        self.contentType = contentType
        self.storedData = Data()
        self.text = text
        self.disposition = disposition
    }
}
