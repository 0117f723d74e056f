import Crypto
import Foundation

/// The token of a signup's confirmation link (`/confirm/<token>`): 16 random bytes and the first 16 bytes of their
/// HMAC-SHA256 under the secret that keys the unsubscribe tokens (`DIGEST_UNSUBSCRIBE_SECRET`), as URL-safe base64
/// without padding (43 characters).
///
/// A forged or mistyped token fails ``verify(_:secret:)`` in constant time, before the state is asked. The state keeps
/// only ``id``, a SHA-256 of the random bytes, so its file holds no token that could confirm anyone; when the token
/// expires and that it is used once are the state's (``StateStore/usePendingSignup(id:at:)``).
public struct SignupToken: Sendable, Hashable {
    /// The token as the link carries it.
    public let text: String
    /// The key of the pending signup in the state: the hex SHA-256 of the random bytes.
    public let id: String

    private static let tag = Data("digest-confirm-v1\u{0}".utf8)

    /// A new token under `secret`.
    public static func issue(secret: Data) -> SignupToken {
        var nonce = [UInt8](repeating: 0, count: 16)
        var generator = SystemRandomNumberGenerator()
        for index in nonce.indices { nonce[index] = generator.next() }
        let bytes = Data(nonce) + mac(Data(nonce), secret: secret)
        return SignupToken(text: base64URL(bytes), id: identifier(Data(nonce)))
    }

    /// The token `text` if `secret` made it; nil for anything else (forged, cut short, not base64).
    public static func verify(_ text: String, secret: Data) -> SignupToken? {
        // The last character carries two bits no byte holds: only the one spelling the encoder writes is the token.
        guard text.utf8.count == 43, let bytes = decodeBase64URL(text), bytes.count == 32, base64URL(bytes) == text
        else { return nil }
        let nonce = bytes.prefix(16)
        let expected = mac(Data(nonce), secret: secret)
        // Constant time: every byte is compared whatever the first difference.
        var difference: UInt8 = 0
        for (given, wanted) in zip(bytes.suffix(16), expected) { difference |= given ^ wanted }
        guard difference == 0 else { return nil }
        return SignupToken(text: text, id: identifier(Data(nonce)))
    }

    private static func mac(_ nonce: Data, secret: Data) -> Data {
        let code = HMAC<SHA256>.authenticationCode(for: tag + nonce, using: SymmetricKey(data: secret))
        return Data(Data(code).prefix(16))
    }

    private static func identifier(_ nonce: Data) -> String {
        SHA256.hash(data: nonce).map { String(format: "%02x", $0) }.joined()
    }

    /// URL-safe base64 (RFC 4648 §5) without padding.
    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// URL-safe base64 without padding, decoded; nil for any other character.
    static func decodeBase64URL(_ text: String) -> Data? {
        guard
            text.utf8.allSatisfy({
                (48...57).contains($0) || (65...90).contains($0) || (97...122).contains($0) || $0 == 45 || $0 == 95
            })
        else { return nil }
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while standard.utf8.count % 4 != 0 { standard += "=" }
        return Data(base64Encoded: standard)
    }

    /// `text` keyed by `secret` under `purpose`, as `hmac-sha256:` and 32 hex digits: how the consent record names
    /// the client and the rate limits name addresses and clients, never in clear.
    public static func keyedHash(_ text: String, purpose: String, secret: Data) -> String {
        let code = HMAC<SHA256>.authenticationCode(
            for: Data("digest-\(purpose)-v1\u{0}\(text)".utf8), using: SymmetricKey(data: secret))
        return "hmac-sha256:" + Data(code).prefix(16).map { String(format: "%02x", $0) }.joined()
    }

    /// The version of a consent sentence: `sha256:` and the first 16 hex digits of its SHA-256.
    public static func textVersion(_ sentence: String) -> String {
        "sha256:" + SHA256.hash(data: Data(sentence.utf8)).prefix(8).map { String(format: "%02x", $0) }.joined()
    }
}
