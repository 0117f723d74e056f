extension String {
    /// The string without leading and trailing whitespace (Unicode White_Space, so newlines and no-break spaces too).
    ///
    /// Works on the UTF-8 bytes: Foundation's `trimmingCharacters(in:)` walks UTF-16 on Linux, and a Unicode property
    /// lookup per scalar was most of the cost of reading a large API answer.
    public var trimmedWhitespace: String {
        if let trimmed = utf8.withContiguousStorageIfAvailable({ bytes -> String in
            guard let (start, end) = UTF8Whitespace.trimmedBounds(bytes) else { return "" }
            if start == 0 && end == bytes.count { return self }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        }) {
            return trimmed
        }
        var native = self  // a bridged string, made native once
        native.makeContiguousUTF8()
        return native.trimmedWhitespace
    }
}

/// Unicode White_Space recognised in UTF-8 bytes, without decoding scalars or looking up their properties.
///
/// White_Space is a closed list: U+0009–000D, U+0020, U+0085, U+00A0, U+1680, U+2000–200A, U+2028, U+2029, U+202F,
/// U+205F and U+3000.
enum UTF8Whitespace {
    /// The length in bytes of the whitespace scalar that starts at `index`, or 0 when none does.
    @inline(__always)
    static func length<Bytes: RandomAccessCollection<UInt8>>(in bytes: Bytes, at index: Bytes.Index) -> Int {
        let byte = bytes[index]
        if byte < 0x80 { return byte == 0x20 || (0x09...0x0D).contains(byte) ? 1 : 0 }
        guard byte == 0xC2 || byte == 0xE1 || byte == 0xE2 || byte == 0xE3 else { return 0 }
        let remaining = bytes.distance(from: index, to: bytes.endIndex)
        guard remaining >= 2 else { return 0 }
        let second = bytes[bytes.index(index, offsetBy: 1)]
        if byte == 0xC2 { return second == 0x85 || second == 0xA0 ? 2 : 0 }
        guard remaining >= 3 else { return 0 }
        let third = bytes[bytes.index(index, offsetBy: 2)]
        switch (byte, second) {
        case (0xE1, 0x9A): return third == 0x80 ? 3 : 0
        case (0xE2, 0x80): return third <= 0x8A || third == 0xA8 || third == 0xA9 || third == 0xAF ? 3 : 0
        case (0xE2, 0x81): return third == 0x9F ? 3 : 0
        case (0xE3, 0x80): return third == 0x80 ? 3 : 0
        default: return 0
        }
    }

    /// Whether the last scalar of `bytes` (valid UTF-8) is whitespace.
    static func endsWithWhitespace(_ bytes: [UInt8]) -> Bool {
        guard let last = bytes.last else { return false }
        if last < 0x80 { return last == 0x20 || (0x09...0x0D).contains(last) }
        var start = bytes.count - 1
        while start > 0 && bytes[start] & 0xC0 == 0x80 && bytes.count - start < 4 { start -= 1 }
        return length(in: bytes, at: start) == bytes.count - start
    }

    /// The byte range of `bytes` without leading and trailing whitespace, or nil when all of it is whitespace.
    static func trimmedBounds(_ bytes: UnsafeBufferPointer<UInt8>) -> (Int, Int)? {
        var index = 0
        while index < bytes.count {
            let space = length(in: bytes, at: index)
            if space == 0 { break }
            index += space
        }
        guard index < bytes.count else { return nil }
        let start = index
        var end = bytes.count
        while end > start {
            if bytes[end - 1] < 0x80 {
                guard length(in: bytes, at: end - 1) == 1 else { break }
                end -= 1
                continue
            }
            var scalarStart = end - 1
            while scalarStart > start && bytes[scalarStart] & 0xC0 == 0x80 { scalarStart -= 1 }
            guard length(in: bytes, at: scalarStart) == end - scalarStart else { break }
            end = scalarStart
        }
        return (start, end)
    }
}
