import Crypto
import Foundation

/// Hashes that are the same on every machine and every run, for ids and file names.
public enum StableHash {
    /// The first `length` hex digits (lower case, at most 64) of the SHA-256 of `text`'s UTF-8 bytes.
    public static func hex(_ text: String, length: Int = 16) -> String {
        var hasher = SHA256()
        var text = text
        text.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        let digest = hasher.finalize()
        let count = min(max(0, length), SHA256.byteCount * 2)
        return String(unsafeUninitializedCapacity: count) { out in
            digest.withUnsafeBytes { bytes in
                for index in 0..<count {
                    let byte = bytes[index / 2]
                    out[index] = digits[Int(index % 2 == 0 ? byte >> 4 : byte & 0x0F)]
                }
            }
            return count
        }
    }

    private static let digits = Array("0123456789abcdef".utf8)
}
