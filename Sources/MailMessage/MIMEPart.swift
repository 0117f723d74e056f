/// One MIME entity: its header fields (each folded and CRLF-terminated) and its encoded body.
struct MIMEPart {
    /// The rendered header fields, such as `Content-Type: text/plain; charset=UTF-8\r\n`.
    var headers: [String]
    /// The encoded body bytes.
    var body: [UInt8]

    /// The entity as bytes: header fields, an empty line, the body.
    var bytes: [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(body.count + 256)
        for header in headers {
            output += header.utf8
        }
        output += [0x0D, 0x0A]
        output += body
        return output
    }

    /// A UTF-8 text part of the given subtype, in NFC, quoted-printable encoded.
    static func text(_ text: TextBody, subtype: String) -> MIMEPart {
        MIMEPart(
            headers: [
                "Content-Type: text/\(subtype); charset=UTF-8\r\n",
                "Content-Transfer-Encoding: quoted-printable\r\n",
            ],
            body: text.quotedPrintable())
    }

    /// A multipart entity of the given subtype; the boundary must not occur in any part.
    static func multipart(_ subtype: String, boundary: String, parts: [MIMEPart]) -> MIMEPart {
        var field = HeaderField(name: "Content-Type")
        field.append("multipart/\(subtype);")
        field.append("boundary=\"\(boundary)\"")
        var body: [UInt8] = Array("This is a multi-part message in MIME format.\r\n".utf8)
        for part in parts {
            body += "--\(boundary)\r\n".utf8
            body += part.bytes
            body += [0x0D, 0x0A]
        }
        body += "--\(boundary)--\r\n".utf8
        return MIMEPart(headers: [field.rendered], body: body)
    }

    /// A base64 attachment part with Content-Type (plus a `name` parameter) and Content-Disposition with filename.
    static func attachment(_ attachment: MailAttachment) -> MIMEPart {
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
        return MIMEPart(
            headers: [
                typeField.rendered, "Content-Transfer-Encoding: base64\r\n", dispositionField.rendered,
            ],
            body: LineBreaks.base64Lines(Array(attachment.data)))
    }
}
