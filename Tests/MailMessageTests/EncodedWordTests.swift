import Foundation
import Testing

@testable import MailMessage

/// Decodes one `=?UTF-8?Q?…?=` or `=?UTF-8?B?…?=` word to its bytes.
func decodeEncodedWord(_ word: String) -> [UInt8]? {
    guard word.hasPrefix("=?UTF-8?"), word.hasSuffix("?="), word.count >= 12 else {
        return nil
    }
    let kind = word.dropFirst(8).prefix(1)
    let payload = String(word.dropFirst(10).dropLast(2))
    if kind == "B" {
        return Data(base64Encoded: payload).map(Array.init)
    }
    return decodeQuotedPrintable(Array(payload.replacingOccurrences(of: "_", with: " ").utf8))
}

@Suite("RFC 2047 encoded words")
struct EncodedWordTests {
    @Test("encodes Swedish text as one Q word with spaces inside")
    func swedish() {
        #expect(EncodedWord.encode("Åsa Öberg") == ["=?UTF-8?Q?=C3=85sa_=C3=96berg?="])
    }

    @Test("uses only phrase-safe characters in Q words, so commas and quotes are encoded")
    func phraseSafe() {
        #expect(EncodedWord.encode("Öberg, \"Åsa\"", encoding: .q) == ["=?UTF-8?Q?=C3=96berg=2C_=22=C3=85sa=22?="])
    }

    @Test("picks B for mostly non-ASCII text")
    func picksBase64() {
        let words = EncodedWord.encode("Привет мир")
        #expect(words.allSatisfy { $0.hasPrefix("=?UTF-8?B?") })
    }

    @Test(
        "splits long text into words of at most 75 characters on character boundaries",
        arguments: [EncodedWord.Encoding.q, .b])
    func longText(encoding: EncodedWord.Encoding) throws {
        let text = String(repeating: "Räksmörgås på Ärtsoppans dag 👩‍👩‍👧 é\u{301} ", count: 12)
        let words = EncodedWord.encode(text, encoding: encoding, firstWordLimit: 40)
        #expect(words.count > 5)
        #expect(words[0].count <= 40)
        var decoded: [UInt8] = []
        for word in words {
            #expect(word.count <= 75)
            let bytes = try #require(decodeEncodedWord(word))
            // Each word decodes to valid UTF-8 on its own: no sequence was split.
            #expect(String(bytes: bytes, encoding: .utf8) != nil, "word splits a character: \(word)")
            decoded += bytes
        }
        #expect(decoded == Array(text.utf8))
    }

    @Test("a grapheme cluster too long for one word is split between its scalars, not inside one")
    func hugeCluster() throws {
        let text = "e" + String(repeating: "\u{301}", count: 40)
        let words = EncodedWord.encode(text, encoding: .q)
        #expect(words.count > 1)
        for word in words {
            #expect(word.count <= 75)
            let bytes = try #require(decodeEncodedWord(word))
            #expect(String(bytes: bytes, encoding: .utf8) != nil)
        }
    }

    @Test("a word needs encoding for non-ASCII, control characters, =? or excessive length")
    func needsEncoding() {
        #expect(!EncodedWord.needsEncoding("Dalarna"))
        #expect(EncodedWord.needsEncoding("Företag"))
        #expect(EncodedWord.needsEncoding("=?UTF-8?Q?x?="))
        #expect(EncodedWord.needsEncoding(Substring(String(repeating: "x", count: 71))))
    }
}
