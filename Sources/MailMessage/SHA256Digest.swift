import Crypto
import Foundation

/// SHA-256 helpers for DKIM.
enum SHA256Digest {
    /// The base64 of the SHA-256 of the bytes.
    static func base64(_ bytes: [UInt8]) -> String {
        Data(SHA256.hash(data: bytes)).base64EncodedString()
    }
}
