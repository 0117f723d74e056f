import Foundation

/// A finished message on its way to one recipient.
public struct OutgoingMessage: Sendable {
    /// The recipient's address (the SMTP RCPT).
    public var recipient: String
    /// The envelope sender, where bounces go (the SMTP MAIL FROM).
    public var envelopeFrom: String
    /// The Message-ID, without angle brackets; the same on every resend of the same delivery.
    public var messageID: String
    /// The whole message, CRLF line endings.
    public var bytes: [UInt8]

    /// A message to `recipient`.
    public init(recipient: String, envelopeFrom: String, messageID: String, bytes: [UInt8]) {
        self.recipient = recipient
        self.envelopeFrom = envelopeFrom
        self.messageID = messageID
        self.bytes = bytes
    }
}

/// How one delivery ended.
public enum DeliveryResult: Sendable, Equatable {
    /// Accepted; the detail is the server's reply or the file written.
    case delivered(String)
    /// Not delivered; `permanent` failures are not retried by a later run unless asked.
    case failed(permanent: Bool, String)
    /// Not delivered, and nothing about this recipient: the transport itself cannot send (the server refused the
    /// login, TLS or the certificate failed, no OAuth2 token could be had). Every delivery would fail alike, so the
    /// run stops and leaves this one unsent for the next run.
    case transportFailed(TransportFailure)
}

/// Why a transport cannot send at all: the server it sends through and what went wrong there.
public struct TransportFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The server, as `smtp://host:port` (never with credentials).
    public var server: String
    /// What went wrong: the server's reply or the TLS or token error, with control characters escaped.
    public var reason: String

    /// Creates a failure.
    public init(server: String, reason: String) {
        self.server = server
        self.reason = reason
    }

    /// `cannot send through <server>: <reason>`.
    public var description: String { "cannot send through \(server): \(reason)" }
}

/// Somewhere messages can be delivered: a Maildir, an SMTP relay, the local MTA.
public protocol MessageTransport: Sendable {
    /// Delivers one message and says how it went; never throws, every outcome comes back.
    func deliver(_ message: OutgoingMessage) async -> DeliveryResult
    /// Finishes the session (closes connections).
    func close() async
    /// The most deliveries worth having in flight at once, when the transport knows better than
    /// `delivery.connections` (which SMTP uses); nil: `delivery.connections`.
    var deliveriesInFlight: Int? { get }
}

extension MessageTransport {
    /// `delivery.connections`.
    public var deliveriesInFlight: Int? { nil }
}
