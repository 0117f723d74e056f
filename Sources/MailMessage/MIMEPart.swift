import DigestSupport

/// One MIME entity: its header fields (each folded and CRLF-terminated) and its body, encoded as it is written.
struct MIMEPart {
    /// What a part holds.
    enum Content {
        /// Encoded bytes, written as they are.
        case encoded([UInt8])
        /// Text, written quoted-printable.
        case text(TextBody)
        /// Parts between boundary lines.
        case parts(boundary: String, [MIMEPart])
    }

    /// The rendered header fields, such as `Content-Type: text/plain; charset=UTF-8\r\n`.
    var headers: [String]
    /// The body.
    var content: Content

    /// Writes the entity: header fields, an empty line, the body.
    func write(into output: inout [UInt8]) {
        for header in headers {
            output += header.utf8
        }
        output += [0x0D, 0x0A]
        writeBody(into: &output)
    }

    /// Writes the encoded body.
    func writeBody(into output: inout [UInt8]) {
        switch content {
        case .encoded(let bytes):
            output += bytes
        case .text(let text):
            text.writeQuotedPrintable(into: &output)
        case .parts(let boundary, let parts):
            output += "This is a multi-part message in MIME format.\r\n".utf8
            for part in parts {
                output += "--\(boundary)\r\n".utf8
                part.write(into: &output)
                output += [0x0D, 0x0A]
            }
            output += "--\(boundary)--\r\n".utf8
        }
    }

    /// About how many bytes the body takes, to reserve room for it.
    var estimatedSize: Int {
        switch content {
        case .encoded(let bytes): bytes.count
        case .text(let text): text.utf8Count + text.utf8Count / 8 + 64
        case .parts(_, let parts): parts.reduce(256) { $0 + $1.estimatedSize + 256 }
        }
    }

    /// A UTF-8 text part of the given subtype, in NFC, quoted-printable encoded.
    static func text(_ text: TextBody, subtype: String) -> MIMEPart {
        MIMEPart(
            headers: [
                "Content-Type: text/\(subtype); charset=UTF-8\r\n",
                "Content-Transfer-Encoding: quoted-printable\r\n",
            ],
            content: .text(text))
    }

    /// A multipart entity of the given subtype; the boundary must not occur in any part.
    static func multipart(_ subtype: String, boundary: String, parts: [MIMEPart]) -> MIMEPart {
        var field = HeaderField(name: "Content-Type")
        field.append("multipart/\(subtype);")
        field.append("boundary=\"\(boundary)\"")
        return MIMEPart(headers: [field.rendered], content: .parts(boundary: boundary, parts))
    }

    /// An attachment part with Content-Type (plus a `name` parameter) and Content-Disposition with filename: base64,
    /// or quoted-printable for a text attachment.
    static func attachment(_ attachment: MailAttachment) -> MIMEPart {
        let headers = attachmentHeaders(attachment)
        if let text = attachment.text {
            return MIMEPart(headers: headers, content: .text(text))
        }
        return MIMEPart(headers: headers, content: .encoded(LineBreaks.base64Lines(Array(attachment.data))))
    }

    private struct AttachmentKey: Hashable {
        let filename: String
        let contentType: String
        let disposition: MailAttachment.Disposition
        let isText: Bool
    }

    /// The header fields of attachments, worked out once for each kind a run attaches.
    private static let attachmentHeaderCache = BoundedCache<AttachmentKey, [String]>(capacity: 256)

    private static func attachmentHeaders(_ attachment: MailAttachment) -> [String] {
        let key = AttachmentKey(
            filename: attachment.filename,
            contentType: attachment.contentType,
            disposition: attachment.disposition,
            isText: attachment.text != nil
        )
        return attachmentHeaderCache.value(for: key) { makeAttachmentHeaders(attachment) }
    }

    private static func makeAttachmentHeaders(_ attachment: MailAttachment) -> [String] {
        let filename = MIMEParameter.cleanFilename(attachment.filename)
        let segments = HeaderText.sanitized(attachment.contentType).split(separator: ";")
            .map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty }
        var mediaType = segments.first ?? ""
        let pieces = mediaType.split(separator: "/", omittingEmptySubsequences: false)
        let isValidType =
            pieces.count == 2
            && pieces.allSatisfy { !$0.isEmpty && $0.utf8.allSatisfy { HeaderText.isAtext($0) || $0 == 0x2E } }
        if !isValidType {
            mediaType = "application/octet-stream"
        }
        let parameters = segments.dropFirst().filter { HeaderText.isPrintableASCII($0) && $0.contains("=") }
        var typeTokens = [mediaType]
        for parameter in parameters {
            typeTokens[typeTokens.count - 1] += ";"
            typeTokens += parameter.split(separator: " ").map(String.init)
        }
        if !parameters.contains(where: { $0.lowercased().hasPrefix("name=") || $0.lowercased().hasPrefix("name*") }) {
            typeTokens = MIMEParameter.appending(name: "name", value: filename, to: typeTokens)
        }
        var typeField = HeaderField(name: "Content-Type")
        typeField.append(contentsOf: typeTokens)

        var dispositionField = HeaderField(name: "Content-Disposition")
        dispositionField.append(
            contentsOf: MIMEParameter.appending(
                name: "filename", value: filename, to: [attachment.disposition.rawValue]))
        let encoding = attachment.text == nil ? "base64" : "quoted-printable"
        return [typeField.rendered, "Content-Transfer-Encoding: \(encoding)\r\n", dispositionField.rendered]
    }
}
