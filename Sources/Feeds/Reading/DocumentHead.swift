import Foundation

/// The first characters of a document, decoded the way `FeedParser` will decode it (byte-order mark, UTF-16 or
/// UTF-32 told by its NUL bytes, else the declared or HTTP charset), to tell formats apart without printing or
/// matching undecoded bytes.
public enum DocumentHead {
    /// Up to `maximumBytes` of `data` decoded as text; a character cut off at the end becomes U+FFFD.
    public static func text(of data: Data, maximumBytes: Int = 1024, httpCharset: String? = nil) -> String {
        // Four bytes a character at most (UTF-32), so read four times as many to get `maximumBytes` characters' worth.
        let head = [UInt8](data.prefix(maximumBytes * 4))
        let decoded = TextEncoding.decode(head, httpCharset: httpCharset)
        return String(decoding: decoded.bytes.prefix(maximumBytes), as: UTF8.self)
    }
}
