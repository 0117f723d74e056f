import Foundation
import Testing

@testable import MailMessage

@Suite("Unsubscribe tokens and message identifiers")
struct ListHeadersTokenTests {
    private let secret = Data("a long random secret from the config".utf8)

    @Test("a token verifies for its address and list and is URL-safe base64 without padding")
    func roundTrip() {
        let token = UnsubscribeToken.make(
            address: "Asa.Oberg@Example.com", listID: "Företagsfrämjarna <digest.example.se>", secret: secret)
        #expect(token.count == 43)
        #expect(token.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        #expect(
            UnsubscribeToken.verify(
                token, address: "asa.oberg@example.com", listID: "digest.example.se", secret: secret))
        #expect(
            UnsubscribeToken.verify(
                token, address: " ASA.OBERG@EXAMPLE.COM", listID: "Ny etikett <digest.example.se>", secret: secret))
    }

    @Test("a token fails for another address, list or secret, or when altered")
    func rejects() {
        let token = UnsubscribeToken.make(address: "a@example.se", listID: "digest.example.se", secret: secret)
        #expect(!UnsubscribeToken.verify(token, address: "b@example.se", listID: "digest.example.se", secret: secret))
        #expect(!UnsubscribeToken.verify(token, address: "a@example.se", listID: "other.example.se", secret: secret))
        #expect(
            !UnsubscribeToken.verify(
                token, address: "a@example.se", listID: "digest.example.se", secret: Data("x".utf8)))
        var altered = Array(token)
        altered[10] = altered[10] == "A" ? "B" : "A"
        #expect(
            !UnsubscribeToken.verify(
                String(altered), address: "a@example.se", listID: "digest.example.se", secret: secret))
        for garbage in [
            "", "!!!", "====", String(token.dropLast()), token + "AAAA", String(repeating: "A", count: 5_000),
        ] {
            #expect(
                !UnsubscribeToken.verify(garbage, address: "a@example.se", listID: "digest.example.se", secret: secret))
        }
    }

    @Test("derived message identifiers are stable per seed; random ones differ")
    func messageIDs() {
        let generator = MessageIDGenerator(domain: "example.se")
        let first = generator.derived(from: "issue-12/a@example.se")
        #expect(first == generator.derived(from: "issue-12/a@example.se"))
        #expect(first != generator.derived(from: "issue-12/b@example.se"))
        #expect(first.range(of: "^[0-9a-f]{32}@example\\.se$", options: .regularExpression) != nil)
        #expect(generator.random() != generator.random())
        #expect(MessageIDGenerator(domain: "bad domain\r\n").random().hasSuffix("@baddomain"))
    }

    @Test("an unusable Message-ID is replaced by one derived from it")
    func unusableMessageID() throws {
        var message = try TestSupport.sampleMessage()
        message.messageID = "no-at-sign"
        #expect(message.effectiveMessageID.hasSuffix("@example.se"))
        #expect(message.effectiveMessageID == message.effectiveMessageID)
        message.messageID = "<abc@example.se>"
        #expect(message.effectiveMessageID == "abc@example.se")
    }
}
