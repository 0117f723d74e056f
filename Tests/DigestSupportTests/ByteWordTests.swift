import DigestSupport
import DigestTesting
import Testing

@Suite("Eight bytes tested at once")
struct ByteWordTests {
    @Test("each test agrees with reading the eight bytes one by one, on 50,000 random words")
    func agreesWithBytes() {
        var generator = SplitMix64(seed: 8)
        // Bytes near every boundary the tests draw (0x1F/0x20, the quote, the backslash, 0x7F/0x80, 0xE2), so that
        // a borrow from one byte into the next would show.
        let pool: [UInt8] =
            [0x00, 0x01, 0x09, 0x0A, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x26, 0x3C, 0x5B, 0x5C, 0x5D]
            + [0x61, 0x7F, 0x80, 0x81, 0xA0, 0xC3, 0xE1, 0xE2, 0xE3, 0xFF]
        for _ in 0..<50_000 {
            let bytes = (0..<8).map { _ in
                Bool.random(using: &generator)
                    ? UInt8(ascii: "a") : pool.randomElement(using: &generator)!
            }
            let word = bytes.withUnsafeBufferPointer { ByteWord($0, at: 0) }
            #expect(word.holdsByte(below: 0x20) == bytes.contains { $0 < 0x20 }, "\(bytes)")
            #expect(word.holdsByte(below: 0x80) == bytes.contains { $0 < 0x80 }, "\(bytes)")
            #expect(word.holdsNonASCII == bytes.contains { $0 >= 0x80 }, "\(bytes)")
            for byte: UInt8 in [0x00, 0x22, 0x26, 0x3C, 0x5C, 0xE2, 0xFF] {
                #expect(word.holds(byte) == bytes.contains(byte), "\(bytes) \(byte)")
            }
        }
    }

    @Test("reads eight bytes from any offset, the first in the lowest bits")
    func unaligned() {
        let bytes: [UInt8] = [0xFF, 1, 2, 3, 4, 5, 6, 7, 8]
        let word = bytes.withUnsafeBufferPointer { ByteWord($0, at: 1) }
        #expect(word.value == 0x0807_0605_0403_0201)
        #expect(!word.holds(0xFF))
    }
}
