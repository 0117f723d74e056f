import Foundation
import Testing

@testable import MailMessage

@Suite("Delivery status notifications (RFC 3464)")
struct DeliveryStatusReportTests {
    func fixture(_ name: String) throws -> ParsedMessage {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
        return ParsedMessage(Array(try Data(contentsOf: url)))
    }

    @Test("a Postfix hard bounce: 5.1.1 for one recipient, the original Message-ID from the returned headers")
    func postfix() throws {
        let report = try #require(DeliveryStatusReport(try fixture("dsn-postfix-hard-5.1.1.eml")))
        #expect(report.recipients.count == 1)
        let recipient = try #require(report.recipients.first)
        #expect(recipient.address == "gammal.adress@example.com")
        #expect(recipient.action == "failed")
        #expect(recipient.status == "5.1.1")
        #expect(recipient.isHardBounce && !recipient.isSoftBounce)
        #expect(recipient.diagnostic?.contains("User unknown") == true)
        #expect(report.originalMessageID == "<digest.2026-W49.0a1b2c3d4e5f60718293@example.se>")
    }

    @Test("an Exim delay: 4.2.2 is a soft bounce")
    func exim() throws {
        let report = try #require(DeliveryStatusReport(try fixture("dsn-exim-delayed-4.2.2.eml")))
        let recipient = try #require(report.recipients.first)
        #expect(recipient.address == "full.brevlada@example.net")
        #expect(recipient.isSoftBounce && !recipient.isHardBounce)
        #expect(report.originalMessageID == "<digest.2026-W49.99aa88bb77cc66dd55ee@example.se>")
    }

    @Test("an ordinary message is no report; our own digests parse back with their parts")
    func ordinary() throws {
        let message = try MailMessage(
            from: MailAddress(parsing: "Företagsfrämjarna <nyhetsbrev@example.se>"),
            to: [MailAddress(displayName: "Åsa", address: "asa@example.com")],
            subject: "Vecka 49",
            date: Date(timeIntervalSince1970: 1_796_108_400),
            messageID: "m1@example.se",
            textBody: "Hej Åsa = 1\n",
            htmlBody: "<p>Hej Åsa</p>"
        )
        let parsed = ParsedMessage(message.rendered())
        #expect(DeliveryStatusReport(parsed) == nil)
        #expect(parsed.contentType.mediaType == "multipart/alternative")
        #expect(parsed.parts.map(\.contentType.mediaType) == ["text/plain", "text/html"])
        #expect(parsed.parts.first?.text == "Hej Åsa = 1\r\n")
        #expect(parsed.header("message-id") == "<m1@example.se>")
    }
}
