import Crypto
import Foundation

/// Makes RFC 5322 §3.6.4 message identifiers, `local@domain` (written as `<local@domain>` in the header).
///
/// ``random()`` gives a fresh identifier for every call; ``derived(from:)`` gives the same identifier for the same
/// seed (for example issue id plus recipient), so a re-rendered message is byte-identical. The local part is hex of
/// a SHA-256, so a derived identifier does not reveal the seed.
public struct MessageIDGenerator: Sendable, Hashable {
    /// The domain after the `@`, normally one the sender controls.
    public var domain: String

    /// Creates a generator for identifiers under `domain`.
    public init(domain: String) {
        self.domain = domain
    }

    /// A new random identifier (128 random bits).
    public func random() -> String {
        let bytes = SymmetricKey(size: .bits128).withUnsafeBytes { Array($0) }
        return hex(bytes) + "@" + safeDomain
    }

    /// The identifier for a seed: the first 128 bits of SHA-256 of the seed, in hex, at the domain.
    public func derived(from seed: String) -> String {
        let digest = SHA256.hash(data: Data(("message-id\u{0}" + seed).utf8))
        return hex(Array(digest).prefix(16)) + "@" + safeDomain
    }

    private var safeDomain: String {
        let bytes = domain.utf8.filter { HeaderText.isAtext($0) || $0 == UInt8(ascii: ".") }
        let cleaned = String(decoding: bytes, as: UTF8.self)
        return cleaned.isEmpty ? "localhost" : cleaned
    }

    private func hex(_ bytes: some Sequence<UInt8>) -> String {
        bytes.map { HeaderText.hex($0).lowercased() }.joined()
    }
}
