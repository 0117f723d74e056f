import DigestTesting
import Foundation
import Testing

@testable import MailMessage

/// Renders messages built from random hostile text and checks the invariants that must hold for any input.
@Suite("Random hostile input")
struct RandomInputTests {
    static let alphabet: [String] = [
        "a", "Z", "0", " ", "  ", "\t", "\r", "\n", "\r\n", "\u{0}", "\u{7F}", "\u{85}", "\u{2028}", "\u{A0}", "<", ">",
        "\"", "\\", ",", ";", ":", "@", "(", ")", ".", "=?", "?=", "=?UTF-8?Q?x?=", "_", "=", "å", "Ö", "é", "e\u{301}",
        "–", "😀", "👩‍👩‍👧", "Привет", "Bcc: x@example.com", "From ", String(repeating: "x", count: 90),
    ]

    static func randomText(_ generator: inout SplitMix64, maxPieces: Int = 30) -> String {
        let count = Int(generator.next() % UInt64(maxPieces + 1))
        return (0..<count).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }.joined()
    }

    static func randomMessage(seed: UInt64) throws -> MailMessage {
        var generator = SplitMix64(seed: seed)
        var message = try TestSupport.sampleMessage()
        message.subject = randomText(&generator)
        message.from.displayName = randomText(&generator)
        message.to = [
            try MailAddress(displayName: randomText(&generator), address: "a@example.se"),
            try MailAddress(displayName: randomText(&generator), address: "b@example.se"),
        ]
        message.replyTo = try MailAddress(displayName: randomText(&generator), address: "r@example.se")
        message.textBody = randomText(&generator, maxPieces: 200)
        message.htmlBody = randomText(&generator, maxPieces: 200)
        message.extraHeaders = [MailHeader(name: "X-Random", value: randomText(&generator))]
        message.listHeaders?.listID = randomText(&generator) + " <digest.example.se>"
        message.attachments = [
            MailAttachment(
                filename: randomText(&generator), contentType: randomText(&generator),
                data: Data(randomText(&generator).utf8))
        ]
        return message
    }

    @Test("any text gives ASCII, CRLF-only output with lines of at most 998 octets and only the expected fields")
    func invariants() throws {
        let expectedNames = [
            "Date", "From", "Reply-To", "To", "Subject", "Message-ID", "List-Id", "List-Unsubscribe",
            "List-Unsubscribe-Post", "List-Post", "X-Random", "MIME-Version", "Content-Type",
        ]
        for seed in UInt64(1)...300 {
            let message = try Self.randomMessage(seed: seed)
            let bytes = message.rendered()
            #expect(bytes == message.rendered())
            #expect(bytes.allSatisfy { $0 < 0x80 })
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains { $0 == "\r" || $0 == "\n" })
            #expect(text.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 998 })
            #expect(unfoldedHeaders(bytes).map(\.name) == expectedNames, "seed \(seed)")
        }
    }

    @Test(
        "Python decodes random subjects and names to the sanitized input",
        .enabled(if: TestSupport.hasPython, "python3 is not available"))
    func pythonDecodes() async throws {
        for seed in UInt64(1)...25 {
            let message = try Self.randomMessage(seed: seed)
            let summary = try await TestSupport.mimeCheck(message.rendered())
            #expect(summary["subject"] as? String == HeaderText.sanitized(message.subject), "seed \(seed)")
            // Python's address parser keeps the space between adjacent encoded words in a display name (RFC 2047
            // §6.2 says to drop it), so names are compared without spaces here; exactness is checked in Swift below.
            let to = summary["to"] as? [[String: String]] ?? []
            let withoutSpaces = { (text: String) in text.filter { $0 != " " } }
            #expect(
                to.map { withoutSpaces($0["name"] ?? "") }
                    == message.to.map { withoutSpaces(HeaderText.sanitized($0.displayName ?? "")) })
            #expect(to.map { $0["address"] ?? "" } == ["a@example.se", "b@example.se"])
            #expect(summary["defects"] as? [String] == [], "seed \(seed): \(summary["defects"] ?? "")")
            let expectedText = String(
                decoding: LineBreaks.normalizedToCRLF(
                    Array(message.textBody.precomposedStringWithCanonicalMapping.utf8)),
                as: UTF8.self
            ).replacingOccurrences(of: "\r\n", with: "\n")
            let decodedText = summary["text"] as? String ?? ""
            #expect(decodedText == expectedText || decodedText == expectedText + "\n", "seed \(seed)")
        }
    }

    @Test("display names decode exactly by RFC 2047 rules (adjacent encoded words joined without the space)")
    func displayNamesDecodeExactly() throws {
        for seed in UInt64(1)...300 {
            var generator = SplitMix64(seed: seed)
            let name = Self.randomText(&generator, maxPieces: 40)
            var field = HeaderField(name: "To")
            field.appendMailbox(try MailAddress(displayName: name, address: "a@example.se"), trailingComma: false)
            let value = String(field.rendered.dropFirst(4).dropLast(1)).replacingOccurrences(of: "\r\n ", with: " ")
            let phrase = value.hasSuffix("<a@example.se>") ? String(value.dropLast(15)) : ""
            #expect(decodePhrase(phrase) == HeaderText.sanitized(name), "seed \(seed): \(value)")
            #expect(field.rendered.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 78 }, "\(value)")
        }
    }
}

/// Decodes an RFC 5322 phrase as written by the module: a quoted-string, atoms, or encoded words (whose separating
/// whitespace is dropped, RFC 2047 §6.2).
func decodePhrase(_ phrase: String) -> String {
    if phrase.hasPrefix("\""), phrase.hasSuffix("\""), phrase.count >= 2 {
        var result = ""
        var escaping = false
        for character in phrase.dropFirst().dropLast() {
            if !escaping && character == "\\" {
                escaping = true
                continue
            }
            result.append(character)
            escaping = false
        }
        return result
    }
    let words = phrase.split(separator: " ").map(String.init)
    if words.allSatisfy({ $0.hasPrefix("=?UTF-8?") && $0.hasSuffix("?=") }) && !words.isEmpty {
        let bytes = words.compactMap(decodeEncodedWord).flatMap { $0 }
        return String(decoding: bytes, as: UTF8.self)
    }
    return words.joined(separator: " ")
}
