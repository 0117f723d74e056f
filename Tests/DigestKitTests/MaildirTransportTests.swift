import Foundation
import Testing

@testable import DigestKit

@Suite("Maildir transport")
struct MaildirTransportTests {
    @Test("a message lands in new/ whole; a resend with the same Message-ID replaces it, tmp/ is left empty")
    func deliverAndResend() async throws {
        let folder = try TestSupport.temporaryFolder().appendingPathComponent("outbox")
        let transport = try MaildirTransport(folder: folder)
        let first = OutgoingMessage(
            recipient: "a@example.com", envelopeFrom: "b@example.se", messageID: "m@x", bytes: Array("one\r\n".utf8))
        let second = OutgoingMessage(
            recipient: "a@example.com", envelopeFrom: "b@example.se", messageID: "m@x", bytes: Array("two\r\n".utf8))
        guard case .delivered(let path) = await transport.deliver(first) else {
            Issue.record("first delivery failed")
            return
        }
        #expect(await transport.deliver(second) == .delivered(path))
        let new = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("new").path)
        #expect(new.count == 1)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "two\r\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("tmp").path).isEmpty)
        let other = OutgoingMessage(
            recipient: "c@example.com", envelopeFrom: "b@example.se", messageID: "n@x", bytes: [])
        _ = await transport.deliver(other)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("new").path).count == 2)
    }
}
