/// An RFC 5322 mailbox: an optional display name and an addr-spec (`local@domain`).
///
/// The address is validated when the value is created: a dot-atom local part, a hostname domain, ASCII only, no
/// whitespace, control characters or angle brackets. The display name may be any text; it is sanitized and, where
/// needed, quoted or RFC 2047 encoded when the message is rendered. Changing ``address`` afterwards bypasses the
/// validation; rendering then drops any character that could break the header.
public struct MailAddress: Sendable, Hashable, CustomStringConvertible {
    /// The human-readable name shown by mail clients, or `nil` for a bare address.
    public var displayName: String?
    /// The addr-spec, `local@domain`, without angle brackets.
    public var address: String

    /// Creates a mailbox from a display name and an address, validating the address.
    /// - Throws: ``MailAddressError`` if `address` is not a valid addr-spec.
    public init(displayName: String?, address: String) throws {
        self.displayName = displayName
        self.address = try Self.validated(address)
    }

    /// Parses `name@example.se`, `<name@example.se>`, `Name <name@example.se>` or `"Efternamn, Förnamn" <…>`.
    /// - Throws: ``MailAddressError`` if the text is not such a mailbox or the address is invalid.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingWhitespace()
        guard !trimmed.isEmpty else {
            throw MailAddressError(.empty, input: text)
        }
        var name = ""
        var rest = Substring(trimmed)
        if trimmed.hasPrefix("\"") {
            guard let (quoted, afterQuote) = Self.splitQuoted(rest) else {
                throw MailAddressError(.unterminatedQuote, input: text)
            }
            name = quoted
            rest = afterQuote
        } else if let open = rest.firstIndex(of: "<") {
            name = String(rest[..<open])
            rest = rest[open...]
        } else if !rest.contains(">") {
            self.displayName = nil
            self.address = try Self.validated(trimmed)
            return
        }
        let bracketed = String(rest).trimmingWhitespace()
        guard bracketed.hasPrefix("<"), bracketed.hasSuffix(">"), bracketed.count >= 2,
            bracketed.filter({ $0 == "<" || $0 == ">" }).count == 2, !name.contains(">")
        else {
            throw MailAddressError(.unbalancedAngleBrackets, input: text)
        }
        name = name.trimmingWhitespace()
        self.displayName = name.isEmpty ? nil : name
        self.address = try Self.validated(String(bracketed.dropFirst().dropLast()).trimmingWhitespace())
    }

    /// Splits `"quoted \"name\"" rest` into the unescaped name and the rest; `nil` if the quote is not closed.
    private static func splitQuoted(_ text: Substring) -> (String, Substring)? {
        var result = ""
        var escaping = false
        var index = text.index(after: text.startIndex)
        while index < text.endIndex {
            let character = text[index]
            if escaping {
                result.append(character)
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else if character == "\"" {
                return (result, text[text.index(after: index)...])
            } else {
                result.append(character)
            }
            index = text.index(after: index)
        }
        return nil
    }

    /// The domain of the address: everything after the last `@`.
    public var domain: String {
        guard let at = address.lastIndex(of: "@") else {
            return ""
        }
        return String(address[address.index(after: at)...])
    }

    /// The mailbox as a person would write it, `Name <local@domain>` (not header-encoded).
    public var description: String {
        guard let name = displayName, !name.isEmpty else {
            return address
        }
        return "\(name) <\(address)>"
    }

    /// The address if it is a valid addr-spec.
    static func validated(_ address: String) throws -> String {
        guard !address.isEmpty else {
            throw MailAddressError(.empty, input: address)
        }
        guard address.unicodeScalars.allSatisfy(\.isASCII) else {
            throw MailAddressError(.nonASCII, input: address)
        }
        let forbidden = Set("<>()[],;:\\\" ".utf8)
        guard address.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && !forbidden.contains($0) }) else {
            throw MailAddressError(.forbiddenCharacter, input: address)
        }
        guard let at = address.lastIndex(of: "@"), at != address.startIndex,
            address.index(after: at) != address.endIndex
        else {
            throw MailAddressError(.missingAt, input: address)
        }
        let local = address[..<at]
        let domain = address[address.index(after: at)...]
        guard local.utf8.count <= 64, address.utf8.count <= 254 else {
            throw MailAddressError(.tooLong, input: address)
        }
        let localAtoms = local.split(separator: ".", omittingEmptySubsequences: false)
        guard localAtoms.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy(HeaderText.isAtext) }) else {
            throw MailAddressError(.invalidLocalPart, input: address)
        }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        let validLabels = labels.allSatisfy { label in
            !label.isEmpty && label.utf8.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.utf8.allSatisfy { byte in
                    (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                        || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                        || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-")
                }
        }
        guard validLabels else {
            throw MailAddressError(.invalidDomain, input: address)
        }
        return address
    }
}

extension String {
    /// The string without leading and trailing whitespace and newlines.
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !HeaderText.isSpaceLike($0) }),
            let last = scalars.lastIndex(where: { !HeaderText.isSpaceLike($0) })
        else {
            return ""
        }
        return String(scalars[first...last])
    }
}
