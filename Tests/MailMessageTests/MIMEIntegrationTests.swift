import Foundation
import Testing

@testable import MailMessage

/// Renders messages and parses them with Python's `email` package (policy.default and policy.SMTP) through
/// Tests/Integration/mime_check.py.
@Suite("MIME output parsed by Python's email package", .enabled(if: TestSupport.hasPython, "python3 is not available"))
struct MIMEIntegrationTests {
    private func check(_ message: MailMessage) async throws -> [String: Any] {
        let summary = try await TestSupport.mimeCheck(message.rendered())
        #expect(summary["all_crlf"] as? Bool == true)
        #expect(summary["ascii_only"] as? Bool == true)
        #expect((summary["max_line_length"] as? Int ?? 999) <= 998)
        #expect(summary["defects"] as? [String] == [], "defects: \(summary["defects"] ?? "")")
        #expect(summary["smtp_defects"] as? [String] == [])
        return summary
    }

    private func addresses(_ value: Any?) -> [[String: String]] {
        value as? [[String: String]] ?? []
    }

    @Test("Swedish characters in subject, names and bodies decode exactly")
    func swedish() async throws {
        var message = try TestSupport.sampleMessage()
        message.subject = "Åäö ÅÄÖ é – veckans nyheter för Dalarnas företagare"
        message.to = [
            try MailAddress(displayName: "Öberg, Åsa", address: "asa@example.se"),
            try MailAddress(displayName: "Svensson, Anna", address: "anna@example.se"),
        ]
        message.replyTo = try MailAddress(displayName: "Redaktionen på Företagsfrämjarna", address: "red@example.se")
        message.textBody = "Räksmörgås åäö ÅÄÖ é\nRad två med = tecken och slutmellanslag \n"
        message.htmlBody = "<p>Räksmörgås åäö ÅÄÖ é</p>\n"
        let summary = try await check(message)
        #expect(summary["subject"] as? String == message.subject)
        #expect(summary["smtp_subject"] as? String == message.subject)
        #expect(
            addresses(summary["from"]) == [["name": "Företagsfrämjarna Dalarna", "address": "nyhetsbrev@example.se"]])
        #expect(
            addresses(summary["to"]) == [
                ["name": "Öberg, Åsa", "address": "asa@example.se"],
                ["name": "Svensson, Anna", "address": "anna@example.se"],
            ])
        #expect(
            addresses(summary["reply_to"]) == [
                ["name": "Redaktionen på Företagsfrämjarna", "address": "red@example.se"]
            ])
        #expect(summary["text"] as? String == message.textBody)
        #expect(summary["html"] as? String == message.htmlBody)
        #expect(summary["content_types"] as? [String] == ["multipart/alternative", "text/plain", "text/html"])
        #expect(summary["date_parsed"] as? String == "2025-02-13T08:00:00+00:00")
        #expect(summary["message_id"] as? String == "<\(message.messageID)>")
        let headers = summary["headers"] as? [String: String] ?? [:]
        #expect(headers["list-id"] == "Företagsfrämjarna i Dalarna <digest.example.se>")
        #expect(headers["list-unsubscribe-post"] == "List-Unsubscribe=One-Click")
        #expect((summary["max_header_line_length"] as? Int ?? 999) <= 78)
        #expect((summary["max_line_length"] as? Int ?? 999) <= 78)
    }

    @Test("a title with injected CR/LF and <script> stays one subject and one display name")
    func injection() async throws {
        let title = "Nytt evenemang\r\nBcc: victim@example.com\r\n\r\n<script>alert('x')</script>"
        var message = try TestSupport.sampleMessage()
        message.subject = title
        message.from.displayName = title
        message.htmlBody = "<p>&lt;script&gt; is escaped by the template, not here</p>"
        let summary = try await check(message)
        let flattened = "Nytt evenemang Bcc: victim@example.com <script>alert('x')</script>"
        #expect(summary["subject"] as? String == flattened)
        #expect(addresses(summary["from"]).first?["name"] == flattened)
        #expect(addresses(summary["from"]).first?["address"] == "nyhetsbrev@example.se")
        let names = (summary["header_names"] as? [String] ?? []).map { $0.lowercased() }
        #expect(!names.contains("bcc"))
    }

    @Test("a 100 KB HTML body with no line breaks comes back intact, in lines of at most 76")
    func largeHTML() async throws {
        var message = try TestSupport.sampleMessage()
        let row =
            "<tr><td style=\"padding:8px;font-family:Arial\">Evenemang i Borlänge – anmälan senast 3 mars</td></tr>"
        var html = "<table role=\"presentation\">"
        while html.utf8.count < 100_000 {
            html += row
        }
        html += "</table>"
        message.htmlBody = html
        let summary = try await check(message)
        #expect(summary["html"] as? String == html)
        #expect((summary["max_line_length"] as? Int ?? 999) <= 78)
    }

    @Test("a long subject needing several encoded words decodes to the original")
    func longSubject() async throws {
        var message = try TestSupport.sampleMessage()
        message.subject =
            String(repeating: "Årets största satsning på småföretagare i Dalarnas län – ", count: 4) + "👩‍👩‍👧 slut"
        let summary = try await check(message)
        #expect(summary["subject"] as? String == message.subject)
        #expect((summary["max_header_line_length"] as? Int ?? 999) <= 78)
    }

    @Test("body lines with a lone dot and a leading \"From \" survive")
    func dotAndFrom() async throws {
        var message = try TestSupport.sampleMessage()
        message.textBody = "Första raden\n.\nFrom the editor: hej\n..\nSista raden"
        message.htmlBody = nil
        let summary = try await check(message)
        #expect(summary["content_types"] as? [String] == ["text/plain"])
        #expect(summary["text"] as? String == message.textBody + "\n")
    }

    @Test("attachments follow the alternative part in multipart/mixed, with RFC 2231 names when non-ASCII")
    func attachments() async throws {
        var message = try TestSupport.sampleMessage()
        let calendar = "BEGIN:VCALENDAR\r\nMETHOD:PUBLISH\r\nSUMMARY:Företagarträff i Mora\r\nEND:VCALENDAR\r\n"
        let longName = "Företagarträffar i Mora, Falun och Borlänge under våren 2026 – alla evenemang.ics"
        message.attachments = [
            MailAttachment(
                filename: "evenemang.ics", contentType: "text/calendar; method=PUBLISH; charset=UTF-8",
                data: Data(calendar.utf8)),
            MailAttachment(
                filename: "Årsrapport för 2025.pdf", contentType: "application/pdf", data: Data([0, 1, 2, 255])),
            MailAttachment(filename: longName, contentType: "not a type", data: Data("x".utf8), disposition: .inline),
        ]
        let summary = try await check(message)
        #expect(
            summary["content_types"] as? [String] == [
                "multipart/mixed", "multipart/alternative", "text/plain", "text/html", "text/calendar",
                "application/pdf", "application/octet-stream",
            ])
        let attachments = summary["attachments"] as? [[String: Any]] ?? []
        #expect(attachments.count == 3)
        #expect(attachments.first?["filename"] as? String == "evenemang.ics")
        #expect(attachments.first?["text"] as? String == calendar)
        #expect((attachments.first?["params"] as? [String: String])?["method"] == "PUBLISH")
        #expect(attachments.first?["disposition"] as? String == "attachment")
        #expect(attachments.dropFirst().first?["filename"] as? String == "Årsrapport för 2025.pdf")
        #expect(attachments.dropFirst().first?["size"] as? Int == 4)
        #expect(attachments.last?["filename"] as? String == longName)
        #expect(attachments.last?["disposition"] as? String == "inline")
        #expect(summary["text"] as? String == message.textBody)
        #expect((summary["max_line_length"] as? Int ?? 999) <= 78)
    }
}
