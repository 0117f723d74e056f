import DigestTesting
import Foundation

@testable import MailMessage

/// Runs the Python helpers in Tests/Integration and builds sample messages.
enum TestSupport {
    /// The package's Tests/Integration directory.
    static let integrationDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Integration")

    /// Runs `python3 arguments…` without blocking a thread (see `ProcessRunner`).
    static func python(_ arguments: [String]) async throws -> ProcessResult {
        try await ProcessRunner.python(arguments)
    }

    /// Runs a program found on PATH without blocking a thread.
    static func run(_ arguments: [String]) async throws -> ProcessResult {
        try await ProcessRunner.run(arguments)
    }

    /// Whether `python3` can import the given modules.
    static func canImport(_ modules: String) -> Bool {
        ProcessRunner.canImport(modules)
    }

    /// Whether Python 3 is available for the MIME checks.
    static let hasPython = canImport("email")
    /// Whether dkimpy and PyNaCl are importable for the DKIM checks.
    static let hasDKIMPy = canImport("dkim, nacl.signing")
    /// Whether the openssl command-line tool is available for key-file tests.
    static let hasOpenSSL = ProcessRunner.isAvailable("openssl", ["version"])

    /// A fresh temporary directory, removed when the tests end.
    static func temporaryDirectory() throws -> URL {
        try TemporaryFolder.make("MailMessageTests-")
    }

    /// Writes bytes to a temporary file and returns its URL.
    static func write(_ bytes: [UInt8], name: String = "message.eml") throws -> URL {
        let url = try temporaryDirectory().appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }

    /// The JSON summary of `mime_check.py` for the message.
    static func mimeCheck(_ bytes: [UInt8]) async throws -> [String: Any] {
        let url = try write(bytes)
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let result = try await python([integrationDirectory.appendingPathComponent("mime_check.py").path, url.path])
        guard result.status == 0,
            let object = try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any]
        else {
            throw TestFailure("mime_check.py failed (\(result.status)): \(result.stderr)")
        }
        return object
    }

    /// A test failure with a message.
    struct TestFailure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) {
            self.description = description
        }
    }

    /// 2025-02-13 08:00:00 UTC.
    static let sampleDate = Date(timeIntervalSince1970: 1_739_433_600)

    /// A Swedish newsletter message with list headers; vary it per test.
    static func sampleMessage() throws -> MailMessage {
        MailMessage(
            from: try MailAddress(parsing: "Företagsfrämjarna Dalarna <nyhetsbrev@example.se>"),
            to: [try MailAddress(displayName: "Åsa Öberg", address: "asa.oberg@example.com")],
            subject: "Veckans digest: Nyheter för företagare i Dalarna",
            date: sampleDate,
            messageID: MessageIDGenerator(domain: "example.se").derived(from: "issue-12/asa.oberg@example.com"),
            textBody: "Hej Åsa!\n\nHär är veckans evenemang i Falun och Borlänge.\n",
            htmlBody:
                "<!doctype html><html lang=\"sv\"><body><p>Hej Åsa!</p><p>Här är veckans evenemang.</p></body></html>",
            listHeaders: ListHeaders(
                listID: "Företagsfrämjarna i Dalarna <digest.example.se>",
                unsubscribeMailto: "unsubscribe@example.se?subject=unsubscribe",
                unsubscribeURL: URL(string: "https://example.se/unsubscribe/TOKEN123")))
    }

    /// The message's header section as a string (up to the first empty line).
    static func headerSection(_ bytes: [UInt8]) -> String {
        let text = String(decoding: bytes, as: UTF8.self)
        return text.components(separatedBy: "\r\n\r\n").first ?? text
    }
}
