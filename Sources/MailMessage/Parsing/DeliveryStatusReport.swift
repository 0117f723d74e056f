import Foundation

/// A delivery status notification (RFC 3464): what a mail server reports about each recipient of a message it
/// could not (or could only later) deliver.
public struct DeliveryStatusReport: Sendable, Hashable {
    /// One recipient's fate.
    public struct Recipient: Sendable, Hashable {
        /// The address the report is about (`Final-Recipient`, else `Original-Recipient`), without the `rfc822;`.
        public var address: String
        /// `failed`, `delayed`, `delivered`, `relayed` or `expanded`.
        public var action: String
        /// The enhanced status code (RFC 3463), such as `5.1.1`.
        public var status: String
        /// The remote server's words, if given.
        public var diagnostic: String?

        /// Whether this is a permanent failure (a 5.x.x status on a failed action).
        public var isHardBounce: Bool { action == "failed" && status.hasPrefix("5") }
        /// Whether this is a temporary failure (a 4.x.x status, or a delay).
        public var isSoftBounce: Bool { status.hasPrefix("4") || action == "delayed" }
    }

    /// The per-recipient reports.
    public var recipients: [Recipient]
    /// The Message-ID of the message that bounced, when the report includes its headers.
    public var originalMessageID: String?

    /// The report in `message`, or nil when it is not a `multipart/report; report-type=delivery-status`.
    public init?(_ message: ParsedMessage) {
        guard message.contentType.mediaType == "multipart/report",
            let statusPart = message.parts.first(where: {
                ["message/delivery-status", "message/global-delivery-status"].contains($0.contentType.mediaType)
            })
        else { return nil }
        let blocks = Self.fieldBlocks(statusPart.body)
        recipients = blocks.dropFirst().compactMap { fields -> Recipient? in
            func field(_ name: String) -> String? { fields.first { $0.name.lowercased() == name }?.value }
            guard let recipient = field("final-recipient") ?? field("original-recipient"),
                let action = field("action"), let status = field("status")
            else { return nil }
            let address = recipient.split(separator: ";", maxSplits: 1).last.map(String.init) ?? recipient
            return Recipient(
                address: address.trimmingCharacters(in: .whitespaces.union(["<", ">"])),
                action: action.lowercased().trimmingCharacters(in: .whitespaces),
                status: String(status.trimmingCharacters(in: .whitespaces).prefix { $0 != " " }),
                diagnostic: field("diagnostic-code")
            )
        }
        guard !recipients.isEmpty else { return nil }
        let original = message.parts.first {
            ["message/rfc822", "text/rfc822-headers", "message/global"].contains($0.contentType.mediaType)
        }
        originalMessageID = original.flatMap { ParsedMessage($0.body).header("Message-ID") }
    }

    /// Splits a delivery-status body into its blank-line-separated field blocks (per-message, then per-recipient).
    private static func fieldBlocks(_ body: [UInt8]) -> [[MailHeader]] {
        let text = String(decoding: body, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
        return text.components(separatedBy: "\n\n")
            .map { ParsedMessage.parseHeaders(Array($0.utf8)) }
            .filter { !$0.isEmpty }
    }
}
