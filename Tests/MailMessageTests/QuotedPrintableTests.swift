import DigestTesting
import Foundation
import Testing

@testable import MailMessage

/// Decodes quoted-printable with the module's own decoder for received mail, for round-trip checks.
func decodeQuotedPrintable(_ encoded: [UInt8]) -> [UInt8] {
    TransferDecoding.decode(encoded, encoding: "quoted-printable")
}

@Suite("Quoted-printable (RFC 2045 §6.7)")
struct QuotedPrintableTests {
    @Test("encodes =, non-ASCII and control characters as =XX with upper-case hex")
    func encodesSpecials() {
        #expect(QuotedPrintable.encode("a=b") == "a=3Db")
        #expect(QuotedPrintable.encode("åäö ÅÄÖ é") == "=C3=A5=C3=A4=C3=B6 =C3=85=C3=84=C3=96 =C3=A9")
        #expect(QuotedPrintable.encode("nul\u{0}bell\u{7}") == "nul=00bell=07")
    }

    @Test("encodes whitespace at the end of a line but not inside it")
    func trailingWhitespace() {
        #expect(QuotedPrintable.encode("a b \nc\t\nd") == "a b=20\r\nc=09\r\nd")
        #expect(QuotedPrintable.encode("end ") == "end=20")
    }

    @Test("turns LF, CR and CRLF into CRLF hard breaks and keeps empty lines")
    func lineBreaks() {
        #expect(QuotedPrintable.encode("a\nb\r\nc\rd\n\ne\n") == "a\r\nb\r\nc\r\nd\r\n\r\ne\r\n")
    }

    @Test("encodes a leading dot and a leading \"From \" so SMTP and mbox cannot change them")
    func dotAndFrom() {
        #expect(QuotedPrintable.encode(".\nFrom here\nFromage\n.x") == "=2E\r\n=46rom here\r\nFromage\r\n=2Ex")
    }

    @Test("soft-breaks long lines at 76 characters without splitting =XX or a UTF-8 sequence")
    func softBreaks() {
        let text = String(repeating: "Företagsfrämjarna i Dalarna = bra. ", count: 40)
        let encoded = QuotedPrintable.encode(bytes: Array(text.utf8))
        let lines = String(decoding: encoded, as: UTF8.self).components(separatedBy: "\r\n")
        #expect(lines.count > 10)
        for line in lines {
            #expect(line.utf8.count <= 76, "line too long: \(line)")
            // A soft break may only follow a complete escape or literal; no line ends in "=X" or "=" + one digit.
            let body = line.hasSuffix("=") ? String(line.dropLast()) : line
            #expect(!body.hasSuffix("=") && body.range(of: "=[0-9A-F]$", options: .regularExpression) == nil)
            // Every line starts at a character boundary: never with a continuation byte (=80–=BF).
            #expect(line.range(of: "^=[89AB][0-9A-F]", options: .regularExpression) == nil, "split: \(line)")
        }
        #expect(decodeQuotedPrintable(encoded) == Array(text.utf8))
    }

    @Test("a line of exactly 76 characters is not broken, 77 is")
    func boundaryLengths() {
        #expect(QuotedPrintable.encode(String(repeating: "a", count: 76)) == String(repeating: "a", count: 76))
        let broken = QuotedPrintable.encode(String(repeating: "a", count: 77))
        #expect(broken == String(repeating: "a", count: 75) + "=\r\naa")
    }

    @Test("round-trips varied text, and every encoded line is ASCII and at most 76 characters")
    func roundTrip() {
        var generator = SplitMix64(seed: 2026)
        let alphabet = Array("abc ÅÄÖåäöé=.\t\n\r€😀👩‍👩‍👧-From ")
        for _ in 0..<200 {
            let length = Int(generator.next() % 300)
            let text = String((0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
            let encoded = QuotedPrintable.encode(bytes: Array(text.utf8))
            #expect(encoded.allSatisfy { $0 < 0x80 })
            let lines = String(decoding: encoded, as: UTF8.self).components(separatedBy: "\r\n")
            #expect(lines.allSatisfy { $0.utf8.count <= 76 && !$0.hasSuffix(" ") && !$0.hasSuffix("\t") })
            #expect(decodeQuotedPrintable(encoded) == LineBreaks.normalizedToCRLF(Array(text.utf8)))
        }
    }
}
