import DigestSupport
import Testing

@Suite("UTF-8 validation without a string")
struct UTF8ValidationTests {
    @Test("each boundary of Unicode's table of well-formed byte sequences")
    func boundaries() {
        let valid: [[UInt8]] = [
            [], [0x00], [0x7F], [0xC2, 0x80], [0xDF, 0xBF], [0xE0, 0xA0, 0x80], [0xEC, 0xBF, 0xBF],
            [0xED, 0x9F, 0xBF], [0xEE, 0x80, 0x80], [0xEF, 0xBF, 0xBF], [0xF0, 0x90, 0x80, 0x80],
            [0xF3, 0xBF, 0xBF, 0xBF], [0xF4, 0x8F, 0xBF, 0xBF], Array("Sista ansökningsdag är 15 mars".utf8),
        ]
        let invalid: [[UInt8]] = [
            [0x80], [0xBF], [0xC0, 0x80], [0xC1, 0xBF], [0xC2], [0xC2, 0x7F], [0xC2, 0xC0], [0xE0, 0x9F, 0xBF],
            [0xED, 0xA0, 0x80], [0xE1, 0x80], [0xF0, 0x8F, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80],
            [0xF5, 0x80, 0x80, 0x80], [0xFF], Array("abcdefgh".utf8) + [0xE4] + Array("ijklmnop".utf8),
        ]
        for bytes in valid { #expect(UTF8Validation.isValid(bytes), "\(bytes)") }
        for bytes in invalid { #expect(!UTF8Validation.isValid(bytes), "\(bytes)") }
    }

    @Test("agrees with the standard library's validating initialiser on 20,000 random byte strings")
    func agreesWithStandardLibrary() {
        var generator = SystemRandomNumberGenerator()
        // Mostly ASCII with lead and continuation bytes mixed in, so that every path is taken.
        let pool: [UInt8] =
            Array(0x20...0x7E) + [0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC2, 0xDF, 0xE0, 0xE1, 0xED, 0xEF, 0xF0]
            + [0xF3, 0xF4, 0xF5, 0xFF]
        for _ in 0..<20_000 {
            let length = Int.random(in: 0...40, using: &generator)
            let bytes = (0..<length).map { _ in pool.randomElement(using: &generator)! }
            #expect(UTF8Validation.isValid(bytes) == (String(validating: bytes, as: UTF8.self) != nil), "\(bytes)")
        }
    }
}
