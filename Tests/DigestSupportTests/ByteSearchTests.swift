import DigestSupport
import Foundation
import Testing

@Suite("Searching a string's UTF-8 for one byte")
struct ByteSearchTests {
    @Test("whole and sliced text, long and empty text, and a byte only inside a multi-byte scalar")
    func agreesWithTheByteByByteSearch() {
        let texts: [String] = [
            "", "<", "a", "Sista ansökningsdag <b>15 mars</b>", "ingen tagg här", "å", "tecken \\, och \\n",
            String(repeating: "x", count: 5_000) + "&", String(repeating: "ö", count: 300),
            String(NSString(string: "from NSString <text> & more")),
        ]
        let bytes: [UInt8] = [0x3C, 0x26, 0x5C, 0x3E, 0x00, 0xC3, 0xB6]
        for text in texts {
            for byte in bytes {
                #expect(text.utf8Contains(byte) == text.utf8.contains(byte), "\(text.prefix(20)) \(byte)")
                let middle = text.dropFirst(1).dropLast(1)
                #expect(middle.utf8Contains(byte) == middle.utf8.contains(byte), "slice of \(text.prefix(20))")
            }
        }
        #expect("a<b".utf8Contains(UInt8(ascii: "<")))
        #expect(!"a<b".dropFirst(2).utf8Contains(UInt8(ascii: "<")))
        #expect("ö".utf8Contains(0xB6))
        #expect(!"ö".utf8Contains(UInt8(ascii: "<")))
    }
}
