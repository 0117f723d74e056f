import Crypto
import Foundation

/// Hashes that are the same on every machine and every run, for ids and file names.
public enum StableHash {
    /// The first `length` hex digits of the SHA-256 of `text`'s UTF-8 bytes.
    public static func hex(_ text: String, length: Int = 16) -> String {
        let digest = SHA256.hash(data: Data(text.utf8))
        return digest.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined().prefix(length).description
    }
}
