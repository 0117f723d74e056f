import DigestTesting
import Foundation

/// A Python test server from `Tests/Integration`, started on a free loopback port and stopped by `stop()`.
final class TestServer: @unchecked Sendable {
    let process = Process()
    let port: Int
    private let input: Pipe
    /// A fresh temporary folder for the server's files (the SMTP server's maildir).
    let directory: URL

    /// The folder holding the Python scripts, found from this file's path.
    static let scripts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Integration")

    struct StartFailure: Error, CustomStringConvertible {
        var description: String
    }

    /// Starts `script` with `arguments` plus `--port 0` and waits for its `PORT <n>` line.
    init(script: String, arguments: [String] = []) throws {
        directory = try TemporaryFolder.make("curl-tests-")
        let output = Pipe()
        let input = Pipe()
        self.input = input
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.scripts.appendingPathComponent(script).path, "--port", "0"] + arguments
        process.standardOutput = output
        // The server exits when this pipe closes, so it cannot outlive a crashed test process.
        process.standardInput = input
        try process.run()
        var line = [UInt8]()
        while true {
            let byte = output.fileHandleForReading.readData(ofLength: 1)
            guard let first = byte.first else { break }
            if first == UInt8(ascii: "\n") { break }
            line.append(first)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("PORT "), let port = Int(text.dropFirst(5)) else {
            kill(process.processIdentifier, SIGKILL)
            throw StartFailure(description: "\(script) did not print its port (got \(text.debugDescription))")
        }
        self.port = port
    }

    /// `http://127.0.0.1:<port><path>`.
    func url(_ path: String) -> URL {
        URL(string: "http://127.0.0.1:\(port)\(path)")!
    }

    /// Stops the server and removes its folder.
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? input.fileHandleForWriting.close()
        try? FileManager.default.removeItem(at: directory)
    }

    deinit {
        stop()
    }
}
