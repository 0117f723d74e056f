import Foundation
import Testing

@testable import MailMessage

@Suite("Text bodies in pieces")
struct TextBodyTests {
    static let fragments = [
        "a\n", "Företagsfrämjarna i Dalarna\n", "\n", ".dot\n", "From here\n", "trailing space \n", "no newline",
        "e\u{301}\n", "\u{301}combining first\n", "x = y\r\n", "\r", "\n",
        String(repeating: "lång rad ", count: 20) + "\n",
        "–…·\n", "\u{2000}wide\n", "Å\n", "tab\t\n",
    ]

    @Test("a body of text and encoded lines encodes to exactly the bytes of its whole text")
    func piecesEncodeLikeTheWhole() {
        var random = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            var body = TextBody()
            var whole = ""
            for _ in 0..<Int.random(in: 0...8, using: &random) {
                let text = Self.fragments.randomElement(using: &random)!
                if Bool.random(using: &random) {
                    body.append(EncodedLines(text))
                } else {
                    body.append(text)
                }
                whole += text
            }
            #expect(body.text == whole)
            #expect(body.utf8Count == whole.utf8.count)
            let expected = QuotedPrintable.encode(bytes: Array(whole.precomposedStringWithCanonicalMapping.utf8))
            #expect(body.quotedPrintable() == expected, "\(whole.debugDescription)")
        }
    }

    @Test("the NFC quick check passes only text that is already NFC")
    func quickCheck() {
        for text in ["", "ascii", "Företag – ålder · 5 €…", "Åsa"] {
            #expect(UnicodeNormalization.isCertainlyNFC(text))
            #expect(UnicodeNormalization.nfc(text) == text)
        }
        for text in ["e\u{301}", "\u{2000}", "Ω\u{2126}", "한국"] {
            #expect(!UnicodeNormalization.isCertainlyNFC(text))
        }
        #expect(Array(UnicodeNormalization.nfc("e\u{301}").unicodeScalars) == ["\u{E9}"])
    }

    @Test("a text attachment is sent quoted-printable and decodes to its text")
    func textAttachment() throws {
        var calendar = TextBody("BEGIN:VCALENDAR\r\n")
        calendar.append(EncodedLines("SUMMARY:Möte i Borlänge\r\n"))
        calendar.append("END:VCALENDAR\r\n")
        var message = MailMessage(
            from: try MailAddress(parsing: "a@example.se"), to: [try MailAddress(parsing: "b@example.se")],
            subject: "s", date: Date(timeIntervalSince1970: 0), messageID: "x@example.se", textBody: "hej\n")
        message.attachments = [
            MailAttachment(filename: "evenemang.ics", contentType: "text/calendar; charset=UTF-8", text: calendar)
        ]
        let rendered = String(decoding: message.rendered(), as: UTF8.self)
        #expect(rendered.contains("Content-Transfer-Encoding: quoted-printable\r\nContent-Disposition: attachment"))
        #expect(rendered.contains("SUMMARY:M=C3=B6te i Borl=C3=A4nge\r\n"))
        #expect(message.attachments[0].data == Data(calendar.text.utf8))
    }
}

@Suite("Quoted-printable against a plain reference")
struct QuotedPrintableReferenceTests {
    /// RFC 2045 §6.7 written the plain way, one character at a time: the encoder's fast paths must give the same bytes.
    static func reference(_ text: String) -> [UInt8] {
        var output: [UInt8] = []
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false)
        for (number, line) in lines.enumerated() {
            if number > 0 { output += [0x0D, 0x0A] }
            var column = 0
            let scalars = Array(line.unicodeScalars)
            for (index, scalar) in scalars.enumerated() {
                let bytes = Array(String(scalar).utf8)
                let isLast = index == scalars.count - 1
                func literal(_ byte: UInt8) -> Bool {
                    (byte == 0x20 || byte == 0x09) ? !isLast : (byte >= 0x21 && byte <= 0x7E && byte != 0x3D)
                }
                let size = bytes.reduce(0) { $0 + (literal($1) ? 1 : 3) }
                if column > 0 && column + size > (isLast ? 76 : 75) {
                    output += Array("=\r\n".utf8)
                    column = 0
                }
                let startsBadly =
                    column == 0
                    && (scalar == "."
                        || (scalar == "F" && line.unicodeScalars.dropFirst(index).starts(with: "From ".unicodeScalars)))
                if startsBadly {
                    output += Array(String(format: "=%02X", bytes[0]).utf8)
                    column = 3
                    continue
                }
                for byte in bytes {
                    output += literal(byte) ? [byte] : Array(String(format: "=%02X", byte).utf8)
                }
                column += size
            }
        }
        return output
    }

    @Test("random text encodes as the reference encodes it")
    func randomText() {
        let alphabet: [String] =
            Array("abc XYZ.F=\t åäö€–\u{1}<>\"").map(String.init) + ["From ", "\n", "\r\n", "\r", "."]
        var random = SystemRandomNumberGenerator()
        for _ in 0..<3_000 {
            let text = (0..<Int.random(in: 0...300, using: &random)).map { _ in alphabet.randomElement()! }.joined()
            #expect(QuotedPrintable.encode(bytes: Array(text.utf8)) == Self.reference(text), "\(text.debugDescription)")
        }
    }
}
