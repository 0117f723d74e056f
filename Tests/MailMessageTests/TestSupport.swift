import Foundation

@testable import MailMessage

/// Runs the Python helpers in Tests/Integration and builds sample messages.
enum TestSupport {
    /// The package's Tests/Integration directory.
    static let integrationDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Integration")

    /// The result of running a process.
    struct ProcessResult {
        var status: Int32
        var stdout: Data
        var stderr: String
    }

    /// Runs `python3 arguments…` with output captured through files (no pipe deadlock on large output).
    static func python(_ arguments: [String]) throws -> ProcessResult {
        try run(["python3"] + arguments)
    }

    /// Runs a program found on PATH with output captured through files.
    static func run(_ arguments: [String]) throws -> ProcessResult {
        let directory = try temporaryDirectory()
        let outURL = directory.appendingPathComponent("stdout")
        let errURL = directory.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let outHandle = try FileHandle(forWritingTo: outURL)
        let errHandle = try FileHandle(forWritingTo: errURL)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardOutput = outHandle
        process.standardError = errHandle
        try process.run()
        process.waitUntilExit()
        try outHandle.close()
        try errHandle.close()
        let result = ProcessResult(
            status: process.terminationStatus, stdout: try Data(contentsOf: outURL),
            stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
        try? FileManager.default.removeItem(at: directory)
        return result
    }

    /// Whether `python3` can import the given modules.
    static func canImport(_ modules: String) -> Bool {
        (try? python(["-c", "import \(modules)"]).status) == 0
    }

    /// Whether Python 3 is available for the MIME checks.
    static let hasPython = canImport("email")
    /// Whether dkimpy and PyNaCl are importable for the DKIM checks.
    static let hasDKIMPy = canImport("dkim, nacl.signing")
    /// Whether the openssl command-line tool is available for key-file tests.
    static let hasOpenSSL = (try? run(["openssl", "version"]).status) == 0

    /// A fresh temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("MailMessageTests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes bytes to a temporary file and returns its URL.
    static func write(_ bytes: [UInt8], name: String = "message.eml") throws -> URL {
        let url = try temporaryDirectory().appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }

    /// The JSON summary of `mime_check.py` for the message.
    static func mimeCheck(_ bytes: [UInt8]) throws -> [String: Any] {
        let url = try write(bytes)
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let result = try python([integrationDirectory.appendingPathComponent("mime_check.py").path, url.path])
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
