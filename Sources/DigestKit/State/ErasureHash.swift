import Crypto
import Foundation

/// The key an erased address is suppressed under: `erased:` and the HMAC-SHA256 of the lower-cased address keyed
/// with the state's random salt, in hex. The address cannot be read back from it; the same address gives the same key
/// in the same state file, so a later import or file of that address is recognised and not mailed.
enum ErasureHash {
    /// The prefix that tells a hash from an address (no address starts with it).
    static let prefix = "erased:"

    /// The key of `address` (lower-cased by the caller) under `salt`.
    static func key(for address: String, salt: Data) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Data(address.utf8), using: SymmetricKey(data: salt))
        return prefix + code.map { String(format: "%02x", $0) }.joined()
    }
}

/// Every suppressed address of a state, for checking many subscribers at once (`digest send`, an import).
public struct SuppressionList: Sendable {
    /// The reasons by key: a lower-cased address, or an erasure hash.
    public let reasons: [String: SuppressionReason]
    let salt: Data
    private let hasHashes: Bool

    init(reasons: [String: SuppressionReason], salt: Data) {
        self.reasons = reasons
        self.salt = salt
        hasHashes = reasons.keys.contains { $0.hasPrefix(ErasureHash.prefix) }
    }

    /// Why `address` is suppressed (by itself or by the hash an erasure left), or nil when it may be mailed.
    public func reason(of address: String) -> SuppressionReason? {
        let lowered = address.lowercased()
        if let reason = reasons[lowered] { return reason }
        guard hasHashes else { return nil }
        return reasons[ErasureHash.key(for: lowered, salt: salt)]
    }
}
