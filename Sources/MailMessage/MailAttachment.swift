import Foundation

/// A file attached to a message, sent base64-encoded in its own MIME part outside the text/HTML alternative.
public struct MailAttachment: Sendable, Hashable {
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
    /// The file's bytes.
    public var data: Data
    /// Attachment or inline.
    public var disposition: Disposition

    /// Creates an attachment.
    public init(filename: String, contentType: String, data: Data, disposition: Disposition = .attachment) {
        self.filename = filename
        self.contentType = contentType
        self.data = data
        self.disposition = disposition
    }
}
