/// A string as a dictionary key that is hashed and compared by its UTF-8 bytes.
///
/// `String` hashes and compares by canonical equivalence, which normalises every non-ASCII text at each hash; for a
/// cache of work done per text ("Företagsträff i Falun" folded), byte equality is enough and much cheaper.
public struct UTF8Key: Hashable, Sendable {
    /// The text.
    public let text: String

    /// The key of `text`.
    public init(_ text: String) {
        var text = text
        text.makeContiguousUTF8()
        self.text = text
    }

    /// Whether both texts have the same bytes.
    public static func == (lhs: UTF8Key, rhs: UTF8Key) -> Bool {
        var left = lhs.text
        var right = rhs.text
        return left.withUTF8 { left in right.withUTF8 { right in left.elementsEqual(right) } }
    }

    /// Hashes the bytes.
    public func hash(into hasher: inout Hasher) {
        var text = text
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
