extension HeaderField {
    /// Appends a mailbox as `phrase <addr-spec>`: the display name as atoms when it is plain ASCII words, as a
    /// quoted-string when it has specials such as `,` or `.`, and as RFC 2047 encoded words when it has non-ASCII
    /// text (never mixing quoted and encoded forms, and never encoding the address).
    mutating func appendMailbox(_ mailbox: MailAddress, trailingComma: Bool) {
        let address = Self.safeAddress(mailbox.address)
        let comma = trailingComma ? "," : ""
        let name = HeaderText.sanitized(mailbox.displayName ?? "")
        guard !name.isEmpty else {
            append(address + comma)
            return
        }
        let words = name.split(separator: " ")
        if words.contains(where: EncodedWord.needsEncoding) {
            appendEncoded(name, preferSingleWord: true)
        } else if words.allSatisfy({ $0.utf8.allSatisfy(HeaderText.isAtext) }) {
            append(contentsOf: words.map(String.init))
        } else {
            let quoted = HeaderText.quoted(name)
            if quoted.utf8.count > 76 {
                appendEncoded(name, preferSingleWord: true)
            } else {
                append(quoted)
            }
        }
        append("<" + address + ">" + comma)
    }

    /// The address with anything that could break out of `<…>` or the header line removed.
    static func safeAddress(_ address: String) -> String {
        let forbidden = Set("<>()[],;:\\\" ".utf8)
        let bytes = address.utf8.filter { $0 > 0x20 && $0 < 0x7F && !forbidden.contains($0) }
        return String(decoding: bytes, as: UTF8.self)
    }
}
