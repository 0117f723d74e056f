import Foundation
import Testing

@testable import DigestKit

@Suite("Maildir transport")
struct MaildirTransportTests {
    func message(_ body: String) -> OutgoingMessage {
        OutgoingMessage(
            recipient: "anna@example.com", envelopeFrom: "b@example.se", messageID: "digest.2026-W49.x@example.se",
            bytes: Array("Subject: x\r\n\r\n\(body)\r\n".utf8))
    }

    @Test("a resend with the same Message-ID replaces the delivered file with the new bytes, leaving one file")
    func resendReplaces() async throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let transport = try MaildirTransport(folder: folder)
        guard case .delivered(let first) = await transport.deliver(message("first")) else {
            Issue.record("the first delivery failed")
            return
        }
        let second = await transport.deliver(message("second"))
        #expect(second == .delivered(first))
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("new").path)
        #expect(files.count == 1)
        #expect(try String(contentsOfFile: first, encoding: .utf8).contains("second"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("tmp").path).isEmpty)
    }
}
