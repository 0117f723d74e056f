/// Eight bytes of a buffer tested all at once (SWAR), for scanners that skip long runs of ordinary bytes.
///
/// Each test is exact: it says yes only when one of the eight bytes is one it looks for (the borrow of a subtraction
/// can set a bit above a byte that matches, never in a word where none does), so a caller may skip the word on a no
/// and read it byte by byte on a yes.
public struct ByteWord {
    /// The eight bytes, the first in the lowest bits.
    public let value: UInt64

    /// The eight bytes at `pointer`, which need not be aligned.
    @inlinable public init(_ pointer: UnsafePointer<UInt8>) {
        value = UnsafeRawPointer(pointer).loadUnaligned(as: UInt64.self)
    }

    /// The eight bytes of `buffer` from `index`; `index + 8` must not pass the buffer's end.
    @inlinable public init(_ buffer: UnsafeBufferPointer<UInt8>, at index: Int) {
        self.init(buffer.baseAddress! + index)
    }

    @usableFromInline static let ones: UInt64 = 0x0101_0101_0101_0101
    @usableFromInline static let highs: UInt64 = 0x8080_8080_8080_8080

    /// Whether a byte is below `limit`, which must be at most 0x80 (0x20: a control character, tab and line breaks
    /// included).
    @inlinable public func holdsByte(below limit: UInt8) -> Bool {
        (value &- Self.ones &* UInt64(limit)) & ~value & Self.highs != 0
    }

    /// Whether a byte is `byte`.
    @inlinable public func holds(_ byte: UInt8) -> Bool {
        let spread = value ^ (Self.ones &* UInt64(byte))
        return (spread &- Self.ones) & ~spread & Self.highs != 0
    }

    /// Whether a byte is 0x80 or above (not ASCII).
    @inlinable public var holdsNonASCII: Bool { value & Self.highs != 0 }
}
