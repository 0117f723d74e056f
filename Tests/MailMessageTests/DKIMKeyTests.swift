import Crypto
import Foundation
import Testing
import _CryptoExtras

@testable import MailMessage

@Suite("DKIM key files")
struct DKIMKeyTests {
    private func file(_ contents: String) throws -> URL {
        try TestSupport.write(Array(contents.utf8), name: "dkim.key")
    }

    @Test("loads RSA keys in PKCS#1 and PKCS#8 PEM and publishes the SubjectPublicKeyInfo")
    func rsa() throws {
        let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let expected = "v=DKIM1; k=rsa; p=" + key.publicKey.derRepresentation.base64EncodedString()
        for pem in [key.pemRepresentation, key.pkcs8PEMRepresentation] {
            let loaded = try DKIMKey.load(from: try file(pem))
            #expect(loaded.algorithm == "rsa-sha256")
            #expect(try loaded.publicKeyRecord() == expected)
        }
    }

    @Test("loads an Ed25519 key given as base64 of the 32 raw bytes")
    func ed25519Raw() throws {
        let key = Curve25519.Signing.PrivateKey()
        let loaded = try DKIMKey.load(from: try file(key.rawRepresentation.base64EncodedString() + "\n"))
        #expect(loaded == .ed25519(rawPrivateKey: key.rawRepresentation))
        #expect(
            try loaded.publicKeyRecord() == "v=DKIM1; k=ed25519; p="
                + key.publicKey.rawRepresentation.base64EncodedString())
    }

    @Test(
        "loads an Ed25519 PKCS#8 PEM written by openssl and derives the same public key",
        .enabled(if: TestSupport.hasOpenSSL))
    func ed25519FromOpenSSL() async throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let pem = directory.appendingPathComponent("ed.pem")
        let pub = directory.appendingPathComponent("ed.pub.der")
        #expect(
            try await TestSupport.run(["openssl", "genpkey", "-algorithm", "ed25519", "-out", pem.path]).status == 0)
        #expect(
            try await TestSupport.run([
                "openssl", "pkey", "-in", pem.path, "-pubout", "-outform", "DER", "-out", pub.path,
            ])
            .status
                == 0)
        let publicKey = try Data(contentsOf: pub).suffix(32)
        let loaded = try DKIMKey.load(from: pem)
        #expect(loaded.algorithm == "ed25519-sha256")
        #expect(try loaded.publicKeyRecord() == "v=DKIM1; k=ed25519; p=" + Data(publicKey).base64EncodedString())
    }

    @Test(
        "loads a legacy 1024-bit RSA key from openssl and rejects a 512-bit one", .enabled(if: TestSupport.hasOpenSSL))
    func rsaSizes() async throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let legacy = directory.appendingPathComponent("1024.pem")
        let tiny = directory.appendingPathComponent("512.pem")
        #expect(try await TestSupport.run(["openssl", "genrsa", "-out", legacy.path, "1024"]).status == 0)
        #expect(try DKIMKey.load(from: legacy).algorithm == "rsa-sha256")
        #expect(try await TestSupport.run(["openssl", "genrsa", "-out", tiny.path, "512"]).status == 0)
        #expect(throws: DKIMError.self) { try DKIMKey.load(from: tiny) }
    }

    @Test("errors name the file and never its contents")
    func errors() throws {
        let garbage = try file("not a key at all SECRET")
        #expect {
            try DKIMKey.load(from: garbage)
        } throws: { error in
            let description = "\(error)"
            return (error as? DKIMError)?.reason == .unrecognizedKeyFormat && description.hasPrefix(garbage.path + ": ")
                && !description.contains("SECRET")
        }
        let missing = URL(fileURLWithPath: "/nonexistent/dkim.key")
        #expect {
            try DKIMKey.load(from: missing)
        } throws: { error in
            "\(error)"
                == "/nonexistent/dkim.key: cannot read the DKIM key file (no such file); check the path and its permissions"
        }
        let folder = FileManager.default.temporaryDirectory
        #expect {
            try DKIMKey.load(from: folder)
        } throws: { error in
            "\(error)".hasSuffix(
                "cannot read the DKIM key file (a folder, not a file); check the path and its permissions")
        }
        let openssh = try file("-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n")
        #expect {
            try DKIMKey.load(from: openssh)
        } throws: { error in
            (error as? DKIMError)?.reason == .unsupportedKeyFormat("OpenSSH")
        }
    }
}
