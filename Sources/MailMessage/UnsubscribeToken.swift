import Crypto
import Foundation

/// Opaque per-recipient unsubscribe tokens: HMAC-SHA256 of the address and list identifier under a secret, as
/// URL-safe base64 without padding (43 characters).
///
/// The address is lowercased and trimmed and the list identifier reduced to the part inside `<…>` (lowercased), so a
/// token survives a change of list label or address capitalisation. The token does not contain the address: the
/// unsubscribe URL must also identify the recipient (or the endpoint must look tokens up). Rotating the secret
/// invalidates every token issued under the old one.
public enum UnsubscribeToken {
    /// The token for a recipient address on a list.
    public static func make(address: String, listID: String, secret: some DataProtocol) -> String {
        Issuer(listID: listID, secret: secret).token(for: address)
    }

    /// Makes the tokens of one list under one secret, with the list identifier and key prepared once.
    public struct Issuer: Sendable {
        private let list: String
        private let key: SymmetricKey

        /// An issuer for the list `listID` under `secret`.
        public init(listID: String, secret: some DataProtocol) {
            list = ListHeaders.identifier(of: listID).lowercased()
            key = SymmetricKey(data: Data(secret))
        }

        /// The token for `address`: the same as ``UnsubscribeToken/make(address:listID:secret:)`` gives.
        public func token(for address: String) -> String {
            let message = Data(("digest-unsubscribe-v1\u{0}" + normalized(address) + "\u{0}" + list).utf8)
            return base64URL(Data(HMAC<SHA256>.authenticationCode(for: message, using: key)))
        }
    }

    /// Whether the token was made for this address and list with this secret; the comparison runs in constant time.
    public static func verify(_ token: String, address: String, listID: String, secret: some DataProtocol) -> Bool {
        guard let mac = decodeBase64URL(token), mac.count == SHA256.byteCount else {
            return false
        }
        return HMAC<SHA256>.isValidAuthenticationCode(
            mac, authenticating: message(address: address, listID: listID), using: SymmetricKey(data: Data(secret)))
    }

    /// The authenticated bytes: a version tag, then the normalised address and list identifier, NUL-separated.
    private static func message(address: String, listID: String) -> Data {
        let normalizedList = ListHeaders.identifier(of: listID).lowercased()
        return Data(("digest-unsubscribe-v1\u{0}" + normalized(address) + "\u{0}" + normalizedList).utf8)
    }

    /// The address as tokens name it: sanitized and lowercased.
    private static func normalized(_ address: String) -> String {
        HeaderText.sanitized(address).lowercased()
    }

    /// URL-safe base64 (RFC 4648 §5) without padding.
    static func base64URL(_ data: Data) -> String {
        let bytes = data.base64EncodedData().compactMap { byte -> UInt8? in
            switch byte {
            case UInt8(ascii: "+"): UInt8(ascii: "-")
            case UInt8(ascii: "/"): UInt8(ascii: "_")
            case UInt8(ascii: "="): nil
            default: byte
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Decodes URL-safe base64 without padding; `nil` for anything else.
    static func decodeBase64URL(_ text: String) -> Data? {
        guard text.utf8.count <= 1_024,
            text.utf8.allSatisfy({ HeaderText.isAtext($0) && $0 != UInt8(ascii: "=") })
        else {
            return nil
        }
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while standard.utf8.count % 4 != 0 {
            standard += "="
        }
        return Data(base64Encoded: standard)
    }
}
