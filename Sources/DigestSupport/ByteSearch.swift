import Foundation

extension StringProtocol {
    /// Whether the text's UTF-8 encoding holds `byte`: searched with `memchr` over the contiguous bytes of a native
    /// string (many bytes at a time), byte by byte otherwise. For an ASCII byte this is whether the text holds that
    /// character, since no other scalar's encoding contains an ASCII byte.
    @inlinable public func utf8Contains(_ byte: UInt8) -> Bool {
        let found = utf8.withContiguousStorageIfAvailable { buffer in
            guard let base = buffer.baseAddress, !buffer.isEmpty else { return false }
            return memchr(base, Int32(byte), buffer.count) != nil
        }
        return found ?? utf8.contains(byte)
    }
}
