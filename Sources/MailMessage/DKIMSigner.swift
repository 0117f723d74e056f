import Foundation

/// Signs a rendered message with DKIM (RFC 6376; ed25519-sha256 per RFC 8463), relaxed/relaxed canonicalization.
///
/// Sign the final bytes, after all folding, as the last step before sending. Several signers can sign one message
/// (for example RSA and Ed25519): each prepends its own `DKIM-Signature` field, and a later signature does not cover
/// an earlier one unless `DKIM-Signature` is in its header list.
public struct DKIMSigner: Sendable {
    /// The signing domain (`d=`), which should align with the From domain for DMARC.
    public var domain: String
    /// The selector (`s=`); the public key is published at `selector._domainkey.domain`.
    public var selector: String
    /// The private key; its type decides `a=`.
    public var key: DKIMKey
    /// Header field names to sign, in order; those absent from a message are left out of `h=`. `From` is always
    /// signed. A field present several times is signed in every instance.
    public var headers: [String]
    /// The `t=` signing time, or `nil` to omit `t=` (which keeps output byte-stable).
    public var timestamp: Date?
    /// Header field names listed once more in `h=` after all their instances ("over-signing", RFC 6376 §8.15), so
    /// that a copy of the field added later, such as a second From or Subject, breaks the signature. Empty by
    /// default; `["From", "Subject", "List-Unsubscribe", "List-Unsubscribe-Post"]` is a good choice.
    public var oversignedHeaders: [String]

    /// The default signed fields: the originator and content headers and every list header, so RFC 8058 one-click
    /// unsubscribe headers are covered.
    public static let defaultHeaders = [
        "From", "Reply-To", "To", "Cc", "Subject", "Date", "Message-ID", "MIME-Version", "Content-Type",
        "Content-Transfer-Encoding", "List-Id", "List-Unsubscribe", "List-Unsubscribe-Post", "List-Help",
        "List-Archive", "List-Post",
    ]

    private let parsedKey: ParsedDKIMKey?

    /// Creates a signer; the key is parsed once here, and a key that cannot be parsed makes every signing call throw.
    public init(
        domain: String, selector: String, key: DKIMKey, headers: [String] = DKIMSigner.defaultHeaders,
        timestamp: Date? = nil, oversignedHeaders: [String] = []
    ) {
        self.domain = domain
        self.selector = selector
        self.key = key
        self.headers = headers
        self.timestamp = timestamp
        self.oversignedHeaders = oversignedHeaders
        self.parsedKey = try? key.parsed(source: nil)
    }

    /// The `DKIM-Signature` header field for the message, folded and CRLF-terminated.
    /// - Parameter message: The complete message with CRLF line ends.
    /// - Throws: ``DKIMError`` for an unusable key, domain or selector, a bare CR or LF, or a missing From field.
    public func signature(for message: [UInt8]) throws -> String {
        let signingKey = try parsedKey ?? key.parsed(source: nil)
        try Self.checkDomainName(domain)
        try Self.checkDomainName(selector)
        if let line = Self.firstBareLineBreak(in: message) {
            throw DKIMError(.bareLineBreak(line: line))
        }
        let (fields, bodyStart) = DKIMCanonicalization.split(message)
        let bodyHash = SHA256Digest.base64(DKIMCanonicalization.relaxedBody(message[bodyStart...]))

        let signed = selectFields(fields)
        guard signed.contains(where: { $0.name == "from" }) else {
            throw DKIMError(.missingFrom)
        }
        var listedNames = signed.map(\.name)
        var oversigned: Set<String> = []
        for name in oversignedHeaders.map({ $0.lowercased() }) where Self.isFieldName(name) {
            if oversigned.insert(name).inserted {
                listedNames.append(name)
            }
        }

        var items: [FoldItem] = [
            FoldItem("v=1;"), FoldItem("a=\(key.algorithm);"), FoldItem("c=relaxed/relaxed;"),
            FoldItem("d=\(domain);"), FoldItem("s=\(selector);"),
        ]
        if let timestamp {
            items.append(FoldItem("t=\(Int64(timestamp.timeIntervalSince1970.rounded(.down)));"))
        }
        for (index, name) in listedNames.enumerated() {
            let text = (index == 0 ? "h=" : "") + name + (index == listedNames.count - 1 ? ";" : ":")
            items.append(FoldItem(text, spaceBefore: index == 0))
        }
        items.append(FoldItem("bh=\(bodyHash);"))
        items.append(FoldItem("b="))

        var input: [UInt8] = []
        for field in signed {
            input += DKIMCanonicalization.relaxedHeader(field.raw)
        }
        let unsigned = Self.fold(items)
        input += DKIMCanonicalization.relaxedHeader(Array(unsigned.utf8)).dropLast(2)

        let signature = try signingKey.sign(input).base64EncodedString()
        var chunks: [FoldItem] = []
        var index = signature.startIndex
        while index < signature.endIndex {
            let end = signature.index(index, offsetBy: 4, limitedBy: signature.endIndex) ?? signature.endIndex
            chunks.append(FoldItem(String(signature[index..<end]), spaceBefore: false))
            index = end
        }
        return Self.fold(items + chunks) + "\r\n"
    }

    /// The message with this signer's `DKIM-Signature` field prepended.
    /// - Throws: The errors of ``signature(for:)``.
    public func sign(_ message: [UInt8]) throws -> [UInt8] {
        Array(try signature(for: message).utf8) + message
    }

    /// The fields to sign, in `h=` order: for each name in From, ``headers`` and ``oversignedHeaders``
    /// (case-insensitive, first listing only), every instance from the bottom up (RFC 6376 §5.4.2).
    private func selectFields(_ fields: [DKIMCanonicalization.Field]) -> [DKIMCanonicalization.Field] {
        var names: [String] = []
        let requested = ["from"] + (headers + oversignedHeaders).map { $0.lowercased() }
        for name in requested where !names.contains(name) && Self.isFieldName(name) {
            names.append(name)
        }
        var selected: [DKIMCanonicalization.Field] = []
        for name in names {
            selected += fields.filter { $0.name == name }.reversed()
        }
        return selected
    }

    /// A piece of the signature field; `spaceBefore` pieces are separated by a space, others join directly, and a
    /// fold (CRLF SP) may precede either kind.
    private struct FoldItem {
        var text: String
        var spaceBefore = true

        init(_ text: String, spaceBefore: Bool = true) {
            self.text = text
            self.spaceBefore = spaceBefore
        }
    }

    /// The field `DKIM-Signature: …` folded at 78 characters, without the final CRLF.
    private static func fold(_ items: [FoldItem]) -> String {
        var lines: [String] = []
        var current = "DKIM-Signature:"
        for item in items {
            let separator = item.spaceBefore ? " " : ""
            if current.utf8.count + separator.utf8.count + item.text.utf8.count > HeaderField.preferredLineLength {
                lines.append(current)
                current = " " + item.text
            } else {
                current += separator + item.text
            }
        }
        lines.append(current)
        return lines.joined(separator: "\r\n")
    }

    /// Whether the text is a valid header field name (printable ASCII without `:`), safe to list in `h=`.
    private static func isFieldName(_ name: String) -> Bool {
        !name.isEmpty
            && name.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: ":") && $0 != UInt8(ascii: ";") }
    }

    /// Throws unless the value is a DNS name of letters, digits, hyphens and underscores (safe in a tag value).
    private static func checkDomainName(_ value: String) throws {
        let labels = value.split(separator: ".", omittingEmptySubsequences: false)
        let valid =
            !value.isEmpty && value.utf8.count <= 253
            && labels.allSatisfy { label in
                !label.isEmpty
                    && label.utf8.allSatisfy { byte in
                        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                            || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
                    }
            }
        if !valid {
            throw DKIMError(.invalidDomainOrSelector(String(value.prefix(100))))
        }
    }

    /// The 1-based line number of the first CR not followed by LF or LF not preceded by CR, or `nil`.
    private static func firstBareLineBreak(in message: [UInt8]) -> Int? {
        var line = 1
        var index = 0
        while index < message.count {
            let byte = message[index]
            if byte == 0x0D {
                guard index + 1 < message.count, message[index + 1] == 0x0A else {
                    return line
                }
                line += 1
                index += 2
                continue
            }
            if byte == 0x0A {
                return line
            }
            index += 1
        }
        return nil
    }
}
