import Crypto
import DigestSupport
import Foundation

extension MailMessage {
    /// The complete message as bytes with CRLF line ends, ready for SMTP `DATA` or a Maildir file.
    ///
    /// Deterministic: the same message gives the same bytes, because MIME boundaries derive from the Message-ID
    /// (`=_` + hash + `_` + nesting level; `=_` cannot occur in quoted-printable or base64 output). Header lines are
    /// folded at 78 characters where whitespace allows and never exceed 998 octets; body lines are at most 76. The
    /// message always ends in CRLF, so a text body without a final line break gains one.
    public func rendered() -> [UInt8] {
        let messageID = effectiveMessageID
        let root = bodyPart(messageID: messageID)
        var output: [UInt8] = []
        output.reserveCapacity(root.estimatedSize + 4_096)
        for field in headerFields(messageID: messageID) {
            output += field.utf8
        }
        root.write(into: &output)
        if !output.suffix(2).elementsEqual([0x0D, 0x0A]) {
            output += [0x0D, 0x0A]
        }
        return output
    }

    /// The rendered message as `Data`.
    public func renderedData() -> Data {
        Data(rendered())
    }

    /// The Message-ID as written (without angle brackets): only msg-id characters, derived afresh when unusable.
    public var effectiveMessageID: String {
        let kept = messageID.utf8.filter {
            HeaderText.isAtext($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "@")
        }
        let cleaned = String(decoding: kept, as: UTF8.self)
        let parts = cleaned.split(separator: "@", omittingEmptySubsequences: false)
        if parts.count == 2 && !parts[0].isEmpty && !parts[1].isEmpty && cleaned.utf8.count <= 900 {
            return cleaned
        }
        return MessageIDGenerator(domain: from.domain).derived(from: messageID)
    }

    private struct DateKey: Hashable, Sendable {
        let date: Date
        let zone: String
    }

    /// The Date fields written, as a run's messages mostly share one.
    private static let dateTexts = BoundedCache<DateKey, String>(capacity: 16)

    private static func dateText(_ date: Date, _ timeZone: TimeZone) -> String {
        dateTexts.value(for: DateKey(date: date, zone: timeZone.identifier)) {
            RFC5322Date.string(from: date, timeZone: timeZone)
        }
    }

    /// The top-level header fields before the MIME Content-* fields.
    private func headerFields(messageID: String) -> [String] {
        var fields: [String] = []
        fields.append("Date: " + Self.dateText(date, timeZone) + "\r\n")

        var fromField = HeaderField(name: "From")
        fromField.appendMailbox(from, trailingComma: false)
        fields.append(fromField.rendered)

        if let replyTo {
            var field = HeaderField(name: "Reply-To")
            field.appendMailbox(replyTo, trailingComma: false)
            fields.append(field.rendered)
        }
        if !to.isEmpty {
            var field = HeaderField(name: "To")
            for (index, mailbox) in to.enumerated() {
                field.appendMailbox(mailbox, trailingComma: index < to.count - 1)
            }
            fields.append(field.rendered)
        }

        var subjectField = HeaderField(name: "Subject")
        subjectField.appendUnstructured(subject)
        fields.append(subjectField.rendered)

        var idField = HeaderField(name: "Message-ID")
        idField.append("<" + messageID + ">")
        fields.append(idField.rendered)

        if let listHeaders {
            fields += listHeaders.renderedFields()
        }
        for header in extraHeaders {
            let name = header.sanitizedName
            guard !name.isEmpty, !Self.reservedHeaderNames.contains(name.lowercased()) else {
                continue
            }
            var field = HeaderField(name: name)
            field.appendUnstructured(header.value)
            fields.append(field.rendered)
        }
        fields.append("MIME-Version: 1.0\r\n")
        return fields
    }

    /// The MIME body: text, alternative or mixed, as described on the type.
    private func bodyPart(messageID: String) -> MIMEPart {
        let boundaryStem = Self.boundaryStem(messageID: messageID)
        let plain = MIMEPart.text(text, subtype: "plain")
        var content = plain
        if let html {
            content = MIMEPart.multipart(
                "alternative", boundary: boundaryStem + "2",
                parts: [plain, MIMEPart.text(html, subtype: "html")])
        }
        if attachments.isEmpty {
            return content
        }
        return MIMEPart.multipart(
            "mixed", boundary: boundaryStem + "1", parts: [content] + attachments.map(MIMEPart.attachment))
    }

    /// The boundary for a nesting level without the level: `=_`, 24 hex digits of SHA-256 of the Message-ID, `_`.
    private static func boundaryStem(messageID: String) -> String {
        let digest = SHA256.hash(data: Data(messageID.utf8))
        let hex = digest.prefix(12).map { HeaderText.hex($0).lowercased() }.joined()
        return "=_\(hex)_"
    }
}
