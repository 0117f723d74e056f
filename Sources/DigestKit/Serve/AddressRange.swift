/// A block of IP addresses in CIDR notation (RFC 4632 §3.1 for IPv4, RFC 4291 §2.3 for IPv6): `10.0.0.0/8`,
/// `2001:db8::/32`, or a single address (`192.0.2.10`, `::1`).
public struct AddressRange: Sendable, Hashable, CustomStringConvertible {
    /// The first address of the block.
    public let network: IPAddress
    /// How many leading bits are fixed, counted in the 128-bit space (an IPv4 `/8` is 104 here).
    public let prefixBits: Int

    /// Parses `text`; throws an error that names the text and shows the expected form.
    public init(parsing text: String) throws(AddressRangeError) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        // Only the bare forms: no brackets and no port, which IPAddress accepts for X-Forwarded-For hops.
        let plain =
            parts[0].allSatisfy { $0.isHexDigit || $0 == "." || $0 == ":" } && parts[0].filter { $0 == ":" }.count != 1
        guard plain, let address = IPAddress(parts[0]) else {
            throw AddressRangeError(text, .notAnAddress)
        }
        let width = address.isIPv4 && !parts[0].contains(":") ? 32 : 128
        var length = width
        if parts.count == 2 {
            guard let given = Int(parts[1]), (0...width).contains(given), parts[1].allSatisfy(\.isNumber) else {
                throw AddressRangeError(text, .badPrefix(width))
            }
            length = given
        }
        let bits = length + (128 - width)
        let network = address.masked(to: bits)
        guard network == address else {
            throw AddressRangeError(text, .hostBitsSet("\(network)/\(length)"))
        }
        self.network = network
        self.prefixBits = bits
    }

    /// Whether `address` lies in the block.
    public func contains(_ address: IPAddress) -> Bool {
        address.masked(to: prefixBits) == network
    }

    /// The block as written in CIDR notation, IPv4 prefixes counted in 32 bits.
    public var description: String {
        "\(network)/\(network.isIPv4 && prefixBits >= 96 ? prefixBits - 96 : prefixBits)"
    }
}

/// Why a text is not an address range; the description names the text and says what to write.
public struct AddressRangeError: Error, Sendable, Hashable, CustomStringConvertible {
    enum Reason: Sendable, Hashable {
        case notAnAddress
        case badPrefix(Int)
        case hostBitsSet(String)
    }

    /// The text that was refused.
    public let text: String
    let reason: Reason

    init(_ text: String, _ reason: Reason) {
        self.text = String(text.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 ? Character($0) : "?" }.prefix(60))
        self.reason = reason
    }

    /// `'…' is not …; write … like 10.0.0.0/8 or 2001:db8::/32.`
    public var description: String {
        switch reason {
        case .notAnAddress:
            "'\(text)' is not an IP address or range; write one like 10.0.0.0/8, 192.0.2.10 or 2001:db8::/32."
        case .badPrefix(let width):
            "'\(text)' has a prefix length that is not a number from 0 to \(width)."
        case .hostBitsSet(let network):
            "'\(text)' has bits set after its prefix; did you mean \(network)?"
        }
    }
}
