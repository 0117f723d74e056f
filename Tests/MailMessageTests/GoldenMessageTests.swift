import Foundation
import Testing

@testable import MailMessage

/// Whole-message golden tests: a fixed message must render to the bytes in Fixtures/.
///
/// Re-record after an intended change with `MAILMESSAGE_RECORD_GOLDEN=1 swift test --filter GoldenMessageTests`,
/// review the diff of the .eml files, and run the tests again (a recording run fails on purpose).
@Suite("Golden messages")
struct GoldenMessageTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// The newsletter of the golden test: Swedish text, list headers, HTML and an iCalendar attachment.
    static func newsletter() throws -> MailMessage {
        var message = try TestSupport.sampleMessage()
        message.timeZone = try #require(TimeZone(identifier: "Europe/Stockholm"))
        message.replyTo = try MailAddress(displayName: "Redaktionen, Företagsfrämjarna", address: "red@example.se")
        message.textBody = """
            Hej Åsa!

            Veckans evenemang i Dalarna:
            • Företagarfrukost i Falun, tisdag 3 mars 07:30 – https://example.se/e/1
            • Exportseminarium i Borlänge med en mycket lång beskrivning som gör raden längre än 76 tecken

            Avregistrera dig: https://example.se/unsubscribe/TOKEN123

            """
        message.attachments = [
            MailAttachment(
                filename: "evenemang.ics", contentType: "text/calendar; method=PUBLISH; charset=UTF-8",
                data: Data("BEGIN:VCALENDAR\r\nMETHOD:PUBLISH\r\nEND:VCALENDAR\r\n".utf8))
        ]
        message.extraHeaders = [MailHeader(name: "X-Digest-Issue", value: "2025-07")]
        return message
    }

    @Test("the newsletter renders to the recorded bytes")
    func newsletterGolden() throws {
        let url = Self.fixtures.appendingPathComponent("newsletter-swedish-with-calendar.eml")
        let rendered = try Self.newsletter().rendered()
        if ProcessInfo.processInfo.environment["MAILMESSAGE_RECORD_GOLDEN"] == "1" {
            try Data(rendered).write(to: url)
            Issue.record("re-recorded \(url.lastPathComponent); review the diff and run the tests again")
            return
        }
        let expected = try [UInt8](Data(contentsOf: url))
        #expect(rendered == expected, "differs from \(url.lastPathComponent); see the doc comment to re-record")
    }
}
