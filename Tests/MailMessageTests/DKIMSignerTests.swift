import Crypto
import Foundation
import Testing
import _CryptoExtras

@testable import MailMessage

/// Signs rendered messages and verifies every signature with dkimpy (Tests/Integration/dkim_verify.py), serving the
/// generated test public keys through dkimpy's dnsfunc hook.
@Suite(
    "DKIM signatures verified by dkimpy",
    .enabled(if: TestSupport.hasDKIMPy, "dkimpy is not importable: pip install dkimpy pynacl"))
struct DKIMSignerTests {
    struct Verification: Decodable {
        var signatures: Int
        var results: [Bool]
        var errors: [String]
    }

    /// A generated key with its DNS record.
    struct TestKey {
        var selector: String
        var key: DKIMKey
        var record: String
    }

    static func rsaKey(selector: String = "rsa2026") throws -> TestKey {
        let key = DKIMKey.rsa(pem: try _RSA.Signing.PrivateKey(keySize: .bits2048).pemRepresentation)
        return TestKey(selector: selector, key: key, record: try key.publicKeyRecord())
    }

    static func ed25519Key(selector: String = "ed2026") throws -> TestKey {
        let key = DKIMKey.ed25519(rawPrivateKey: Curve25519.Signing.PrivateKey().rawRepresentation)
        return TestKey(selector: selector, key: key, record: try key.publicKeyRecord())
    }

    private func verify(_ message: [UInt8], keys: [TestKey], domain: String = "example.se") async throws -> (
        Int32, Verification
    ) {
        let url = try TestSupport.write(message)
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        var arguments = [TestSupport.integrationDirectory.appendingPathComponent("dkim_verify.py").path, url.path]
        for key in keys {
            arguments += [key.selector, domain, key.record]
        }
        let result = try await TestSupport.python(arguments)
        let verification = try JSONDecoder().decode(Verification.self, from: result.stdout)
        return (result.status, verification)
    }

    private func richMessage() throws -> MailMessage {
        var message = try TestSupport.sampleMessage()
        message.subject = String(repeating: "Årets största satsning på småföretagare i Dalarna ", count: 3)
        message.replyTo = try MailAddress(displayName: "Öberg, Åsa", address: "asa@example.se")
        message.htmlBody = String(repeating: "<p>Räksmörgås   med  mellanslag \t</p>\n", count: 2_000)
        message.attachments = [
            MailAttachment(
                filename: "evenemang.ics", contentType: "text/calendar; method=PUBLISH; charset=UTF-8",
                data: Data("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n".utf8))
        ]
        return message
    }

    @Test("rsa-sha256 and ed25519-sha256 signatures verify", arguments: ["rsa", "ed25519"])
    func singleSignature(kind: String) async throws {
        let key = kind == "rsa" ? try Self.rsaKey() : try Self.ed25519Key()
        let signer = DKIMSigner(domain: "example.se", selector: key.selector, key: key.key)
        let signed = try signer.sign(try richMessage().rendered())
        let (status, verification) = try await verify(signed, keys: [key])
        #expect(status == 0, "\(verification.errors)")
        #expect(verification.signatures == 1)
        #expect(verification.results == [true])
    }

    @Test("two signers on one message both verify, and a changed subject breaks both")
    func twoSignersAndTampering() async throws {
        let rsa = try Self.rsaKey()
        let ed = try Self.ed25519Key()
        let timestamp = Date(timeIntervalSince1970: 1_739_433_600)
        let once = try DKIMSigner(domain: "example.se", selector: rsa.selector, key: rsa.key, timestamp: timestamp)
            .sign(try richMessage().rendered())
        let twice = try DKIMSigner(domain: "example.se", selector: ed.selector, key: ed.key).sign(once)
        let (status, verification) = try await verify(twice, keys: [rsa, ed])
        #expect(status == 0, "\(verification.errors)")
        #expect(verification.results == [true, true])
        #expect(String(decoding: twice, as: UTF8.self).contains("t=1739433600;"))
        if TestSupport.hasPython {
            let summary = try await TestSupport.mimeCheck(twice)
            #expect(summary["defects"] as? [String] == [])
            #expect((summary["max_header_line_length"] as? Int ?? 999) <= 78)
            #expect((summary["header_names"] as? [String])?.prefix(2) == ["DKIM-Signature", "DKIM-Signature"])
        }

        let text = String(decoding: twice, as: UTF8.self).replacingOccurrences(of: "Subject: ", with: "Subject: Re: ")
        let (tamperedStatus, tampered) = try await verify(Array(text.utf8), keys: [rsa, ed])
        #expect(tamperedStatus == 1)
        #expect(tampered.results == [false, false])
    }

    @Test("a signature does not verify against another public key")
    func wrongKey() async throws {
        let signing = try Self.ed25519Key()
        let other = try Self.ed25519Key()
        let signed = try DKIMSigner(domain: "example.se", selector: signing.selector, key: signing.key)
            .sign(try TestSupport.sampleMessage().rendered())
        let (status, verification) = try await verify(
            signed, keys: [TestKey(selector: signing.selector, key: other.key, record: other.record)])
        #expect(status == 1)
        #expect(verification.results == [false])
    }

    @Test("over-signed Subject: an added second Subject breaks the signature, without over-signing it does not")
    func oversigning() async throws {
        let key = try Self.ed25519Key()
        let message = try TestSupport.sampleMessage().rendered()
        let injected = { (signed: [UInt8]) -> [UInt8] in
            let text = String(decoding: signed, as: UTF8.self)
            return Array(text.replacingOccurrences(of: "\r\nDate: ", with: "\r\nSubject: Forged\r\nDate: ").utf8)
        }
        let plain = try DKIMSigner(domain: "example.se", selector: key.selector, key: key.key).sign(message)
        let (plainStatus, _) = try await verify(injected(plain), keys: [key])
        #expect(plainStatus == 0)

        let hardened = try DKIMSigner(
            domain: "example.se", selector: key.selector, key: key.key,
            oversignedHeaders: ["From", "Subject", "X-Absent"]
        ).sign(message)
        let (status, verification) = try await verify(hardened, keys: [key])
        #expect(status == 0, "\(verification.errors)")
        #expect(
            String(decoding: hardened, as: UTF8.self).replacingOccurrences(of: "\r\n ", with: "").contains(
                ":from:subject:x-absent;"))
        let (forgedStatus, _) = try await verify(injected(hardened), keys: [key])
        #expect(forgedStatus == 1)
    }

    @Test("text-only and empty-body messages, and a field present twice, verify")
    func edgeMessages() async throws {
        let key = try Self.rsaKey()
        var textOnly = try TestSupport.sampleMessage()
        textOnly.htmlBody = nil
        textOnly.textBody = ""
        let signer = DKIMSigner(domain: "example.se", selector: key.selector, key: key.key)
        let (status, _) = try await verify(try signer.sign(textOnly.rendered()), keys: [key])
        #expect(status == 0)
        let handmade = "From: a@example.se\r\nTo: b@example.se\r\nTo:  c@example.se \r\nSubject: x\r\n\r\n"
        let signed = try signer.sign(Array(handmade.utf8))
        #expect(
            String(decoding: signed, as: UTF8.self).replacingOccurrences(of: "\r\n ", with: "")
                .contains("h=from:to:to:subject;"))
        let (handmadeStatus, verification) = try await verify(signed, keys: [key])
        #expect(handmadeStatus == 0, "\(verification.errors)")
    }

    @Test("a body changed after signing fails the body hash")
    func bodyTampering() async throws {
        let key = try Self.ed25519Key()
        let signed = try DKIMSigner(domain: "example.se", selector: key.selector, key: key.key)
            .sign(try TestSupport.sampleMessage().rendered())
        let text = String(decoding: signed, as: UTF8.self).replacingOccurrences(of: "evenemang", with: "evenemanG")
        let (status, _) = try await verify(Array(text.utf8), keys: [key])
        #expect(status == 1)
    }
}

@Suite("DKIM signature field")
struct DKIMSignatureFieldTests {
    @Test("signs only the default headers present, From first, and folds at 78")
    func field() throws {
        let key = DKIMKey.ed25519(rawPrivateKey: Data(repeating: 7, count: 32))
        let signer = DKIMSigner(domain: "example.se", selector: "ed2026", key: key)
        let field = try signer.signature(for: try TestSupport.sampleMessage().rendered())
        #expect(field.hasSuffix("\r\n"))
        let lines = field.components(separatedBy: "\r\n").dropLast()
        #expect(lines.allSatisfy { $0.utf8.count <= 78 })
        #expect(lines.dropFirst().allSatisfy { $0.hasPrefix(" ") })
        let unfolded = field.replacingOccurrences(of: "\r\n ", with: "")
        #expect(unfolded.hasPrefix("DKIM-Signature: v=1; a=ed25519-sha256; c=relaxed/relaxed; d=example.se;"))
        #expect(unfolded.contains("s=ed2026;"))
        #expect(
            unfolded.contains(
                "h=from:to:subject:date:message-id:mime-version:content-type:list-id:list-unsubscribe:"
                    + "list-unsubscribe-post:list-post;"))
        #expect(!unfolded.contains("t="))
    }

    @Test("refuses bare line breaks, a missing From, bad selectors and bad keys")
    func errors() throws {
        let key = DKIMKey.ed25519(rawPrivateKey: Data(repeating: 7, count: 32))
        let signer = DKIMSigner(domain: "example.se", selector: "s1", key: key)
        #expect {
            try signer.signature(for: Array("From: a@b.se\r\nTo: c@d.se\nSubject: x\r\n\r\nbody\r\n".utf8))
        } throws: { error in
            (error as? DKIMError)?.reason == .bareLineBreak(line: 2)
        }
        #expect {
            try signer.signature(for: Array("To: c@d.se\r\n\r\nbody\r\n".utf8))
        } throws: { error in
            (error as? DKIMError)?.reason == .missingFrom
        }
        let badSelector = DKIMSigner(domain: "example.se", selector: "s1; h=x", key: key)
        #expect(throws: DKIMError.self) { try badSelector.signature(for: Array("From: a@b.se\r\n\r\n".utf8)) }
        let badKey = DKIMSigner(domain: "example.se", selector: "s1", key: .ed25519(rawPrivateKey: Data([1, 2])))
        #expect {
            try badKey.signature(for: Array("From: a@b.se\r\n\r\n".utf8))
        } throws: { error in
            (error as? DKIMError)?.description == "an Ed25519 private key must be 32 bytes, found 2"
        }
        let badRSA = DKIMSigner(domain: "example.se", selector: "s1", key: .rsa(pem: "-----BEGIN RSA PRIVATE KEY-----"))
        #expect(throws: DKIMError.self) { try badRSA.signature(for: Array("From: a@b.se\r\n\r\n".utf8)) }
    }

    @Test("keys never show their material in descriptions")
    func redaction() {
        let key = DKIMKey.rsa(pem: "-----BEGIN RSA PRIVATE KEY-----\nSECRETMATERIAL\n-----END RSA PRIVATE KEY-----")
        #expect(String(describing: key) == "DKIMKey.rsa(<redacted>)")
        #expect(String(reflecting: key) == "DKIMKey.rsa(<redacted>)")
        #expect(!"\(DKIMKey.ed25519(rawPrivateKey: Data(repeating: 0xAB, count: 32)))".contains("171"))
    }
}
