import Foundation
import Testing

@testable import MailMessage

/// The unfolded header fields of a rendered message, as (name, value) pairs.
func unfoldedHeaders(_ bytes: [UInt8]) -> [(name: String, value: String)] {
    let section = TestSupport.headerSection(bytes).replacingOccurrences(of: "\r\n ", with: " ")
    return section.components(separatedBy: "\r\n").map { line in
        let parts = line.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        return (String(parts[0]), parts.count > 1 ? String(parts[1].dropFirst()) : "")
    }
}

@Suite("Header fields: encoding, quoting, folding, injection")
struct HeaderRenderingTests {
    @Test("writes the standard header fields in order, with the Message-ID in angle brackets")
    func standardFields() throws {
        let message = try TestSupport.sampleMessage()
        let names = unfoldedHeaders(message.rendered()).map(\.name)
        #expect(
            names == [
                "Date", "From", "To", "Subject", "Message-ID", "List-Id", "List-Unsubscribe", "List-Unsubscribe-Post",
                "List-Post", "MIME-Version", "Content-Type",
            ])
        let fields = Dictionary(unfoldedHeaders(message.rendered()).map { ($0.name, $0.value) }) { a, _ in a }
        #expect(fields["Message-ID"] == "<" + message.messageID + ">")
        #expect(fields["MIME-Version"] == "1.0")
        #expect(fields["From"] == "=?UTF-8?Q?F=C3=B6retagsfr=C3=A4mjarna_Dalarna?= <nyhetsbrev@example.se>")
        #expect(fields["To"] == "=?UTF-8?Q?=C3=85sa_=C3=96berg?= <asa.oberg@example.com>")
        #expect(fields["Subject"] == "Veckans digest: Nyheter =?UTF-8?Q?f=C3=B6r_f=C3=B6retagare?= i Dalarna")
    }

    @Test("quotes ASCII display names with specials and keeps plain ones as atoms")
    func displayNameQuoting() throws {
        var message = try TestSupport.sampleMessage()
        message.to = [
            try MailAddress(displayName: "Svensson, Anna", address: "anna@example.se"),
            try MailAddress(displayName: "Bo \"Bosse\" Ek", address: "bo@example.se"),
            try MailAddress(displayName: "Karin Ek", address: "karin@example.se"),
            try MailAddress(displayName: nil, address: "x@example.se"),
        ]
        let to = unfoldedHeaders(message.rendered()).first { $0.name == "To" }?.value
        #expect(
            to
                == "\"Svensson, Anna\" <anna@example.se>, \"Bo \\\"Bosse\\\" Ek\" <bo@example.se>, Karin Ek <karin@example.se>, x@example.se"
        )
    }

    @Test("encodes a non-ASCII name with a comma as one encoded phrase, never the address")
    func encodedNameWithComma() throws {
        var message = try TestSupport.sampleMessage()
        message.to = [try MailAddress(displayName: "Öberg, Åsa", address: "asa@example.se")]
        let to = unfoldedHeaders(message.rendered()).first { $0.name == "To" }?.value
        #expect(to == "=?UTF-8?Q?=C3=96berg=2C_=C3=85sa?= <asa@example.se>")
    }

    @Test("folds a long subject into several encoded words on lines of at most 78 characters")
    func longSubject() throws {
        var message = try TestSupport.sampleMessage()
        message.subject = String(repeating: "Årets största satsning på småföretagare i Dalarnas län ", count: 5)
        let header = TestSupport.headerSection(message.rendered())
        let lines = header.components(separatedBy: "\r\n")
        #expect(lines.allSatisfy { $0.utf8.count <= 78 })
        let subjectLines = lines.drop { !$0.hasPrefix("Subject:") }.prefix { !$0.hasPrefix("Message-ID:") }
        #expect(subjectLines.count > 4)
        #expect(subjectLines.dropFirst().allSatisfy { $0.hasPrefix(" ") })
    }

    @Test("a long ASCII subject is folded at spaces, not encoded")
    func longASCIISubject() throws {
        var message = try TestSupport.sampleMessage()
        message.subject = String(repeating: "Weekly digest of regional events ", count: 6)
        let lines = TestSupport.headerSection(message.rendered()).components(separatedBy: "\r\n")
        let subjectLines = lines.drop { !$0.hasPrefix("Subject:") }.prefix { !$0.hasPrefix("Message-ID:") }
        #expect(subjectLines.count >= 3)
        #expect(!subjectLines.joined().contains("=?"))
        #expect(lines.allSatisfy { $0.utf8.count <= 78 })
    }

    @Test("an unbreakable 2000-character token still gives lines of at most 998 octets")
    func hardLimit() throws {
        var message = try TestSupport.sampleMessage()
        message.extraHeaders = [MailHeader(name: "X-Long", value: String(repeating: "x", count: 2_000))]
        message.listHeaders?.unsubscribeURL = URL(
            string: "https://example.se/u/" + String(repeating: "t", count: 2_000))
        let bytes = message.rendered()
        let lines = String(decoding: bytes, as: UTF8.self).components(separatedBy: "\r\n")
        #expect(lines.allSatisfy { $0.utf8.count <= 998 })
    }

    @Test("CR, LF and other control characters in any header input cannot create or split a header field")
    func injection() throws {
        let evil = "Hej\r\nBcc: victim@example.com\r\n\r\n<script>alert(1)</script>\u{0}\u{85}\u{2028}X"
        var message = try TestSupport.sampleMessage()
        message.subject = evil
        message.from.displayName = evil
        message.from.address = "nyhetsbrev@example.se\r\nBcc: victim@example.com"
        message.to = [try MailAddress(displayName: evil, address: "a@example.se")]
        message.replyTo = try MailAddress(displayName: "Svar\nX-Evil: 1", address: "svar@example.se")
        message.messageID = "id@example.se>\r\nBcc: victim@example.com"
        message.extraHeaders = [
            MailHeader(name: "X-Campaign\r\nBcc", value: evil),
            MailHeader(name: "Bcc", value: "victim@example.com"),
            MailHeader(name: "\r\n", value: "nothing"),
        ]
        message.listHeaders = ListHeaders(
            listID: "Lista\r\nBcc: victim@example.com <digest.example.se\r\nBcc: x>",
            unsubscribeMailto: "u@example.se\r\nBcc: victim@example.com",
            unsubscribeURL: URL(string: "https://example.se/unsubscribe/T"), post: "NO\r\nBcc: x")
        message.attachments = [
            MailAttachment(
                filename: "a\r\nBcc: x.ics", contentType: "text/calendar\r\nBcc: victim@example.com; method=PUBLISH",
                data: Data("BEGIN:VCALENDAR\r\n".utf8))
        ]
        let bytes = message.rendered()
        let text = String(decoding: bytes, as: UTF8.self)
        let names = unfoldedHeaders(bytes).map(\.name)
        #expect(!names.contains { $0.lowercased() == "bcc" || $0.lowercased() == "x-evil" })
        #expect(
            names == [
                "Date", "From", "Reply-To", "To", "Subject", "Message-ID", "List-Id", "List-Unsubscribe",
                "List-Unsubscribe-Post", "List-Post", "X-CampaignBcc", "MIME-Version", "Content-Type",
            ])
        #expect(!text.contains("\nBcc"))
        // No bare CR or LF anywhere: every LF is part of a CRLF.
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains { $0 == "\r" || $0 == "\n" })
        #expect(bytes.allSatisfy { $0 < 0x80 })
    }

    @Test("renders the same bytes every time, with boundaries derived from the Message-ID")
    func deterministic() throws {
        var message = try TestSupport.sampleMessage()
        message.attachments = [
            MailAttachment(filename: "evenemang.ics", contentType: "text/calendar", data: Data("X".utf8))
        ]
        #expect(message.rendered() == message.rendered())
        let text = String(decoding: message.rendered(), as: UTF8.self)
        #expect(text.contains("boundary=\"=_") && text.contains("_1\"") && text.contains("_2\""))
        var other = message
        other.messageID = MessageIDGenerator(domain: "example.se").derived(from: "issue-12/other@example.com")
        let otherText = String(decoding: other.rendered(), as: UTF8.self)
        let boundary = try #require(text.range(of: "=_[0-9a-f]{24}_1", options: .regularExpression)).lowerBound
        let first = String(text[boundary...].prefix(28))
        #expect(!otherText.contains(first))
    }

    @Test("skips reserved and empty extra header names and encodes non-ASCII values")
    func extraHeaders() throws {
        var message = try TestSupport.sampleMessage()
        message.extraHeaders = [
            MailHeader(name: "X-Kampanj", value: "Vecka 12 – Dalarna"),
            MailHeader(name: "Subject", value: "second subject"),
            MailHeader(name: "", value: "x"),
        ]
        let headers = unfoldedHeaders(message.rendered())
        #expect(headers.filter { $0.name == "Subject" }.count == 1)
        #expect(headers.first { $0.name == "X-Kampanj" }?.value == "Vecka 12 =?UTF-8?B?4oCT?= Dalarna")
    }

    @Test("writes List-Unsubscribe-Post only for an https URL and omits empty To")
    func listAndToEdges() throws {
        var message = try TestSupport.sampleMessage()
        message.to = []
        message.listHeaders?.unsubscribeURL = URL(string: "http://example.se/u/T")
        let headers = unfoldedHeaders(message.rendered())
        #expect(!headers.contains { $0.name == "To" || $0.name == "List-Unsubscribe-Post" })
        #expect(
            headers.first { $0.name == "List-Unsubscribe" }?.value
                == "<mailto:unsubscribe@example.se?subject=unsubscribe>, <http://example.se/u/T>")
        #expect(
            headers.first { $0.name == "List-Id" }?.value
                == "=?UTF-8?Q?F=C3=B6retagsfr=C3=A4mjarna_i_Dalarna?= <digest.example.se>")
    }
}
