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
        func isSafe(_ byte: UInt8) -> Bool {
            switch byte {
            case 0...0x20, 0x7F...,
                UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "["),
                UInt8(ascii: "]"), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: ":"), UInt8(ascii: "\\"),
                UInt8(ascii: "\""):
                false
            default:
                true
            }
        }
        if address.utf8.allSatisfy(isSafe) { return address }
        return String(decoding: address.utf8.filter(isSafe), as: UTF8.self)
    }
}
