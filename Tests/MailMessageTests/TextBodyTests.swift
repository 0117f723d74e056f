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
