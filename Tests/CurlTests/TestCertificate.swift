import DigestTesting
import Foundation

/// A self-signed certificate for 127.0.0.1, made once per test run with openssl into a temporary folder.
struct TestCertificate: Sendable {
    let certificate: String
    let key: String

    static let shared: TestCertificate = {
        let folder =
            (try? TemporaryFolder.make("curl-tests-tls-")) ?? URL(fileURLWithPath: "/nonexistent/curl-tests-tls")
        let certificate = folder.appendingPathComponent("cert.pem").path
        let key = folder.appendingPathComponent("key.pem").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-days", "2",
            "-keyout", key, "-out", certificate,
        ]
        process.standardError = FileHandle.nullDevice
        try? process.run()
        process.waitUntilExit()
        return TestCertificate(certificate: certificate, key: key)
    }()
}
