import Foundation

/// Hands each message to the local MTA with `sendmail -i -f <envelope> -- <recipient>` and checks its exit status.
public struct SendmailTransport: MessageTransport {
    /// The sendmail program.
    public let executable: URL

    /// A transport through the program at `path`.
    public init(path: String) {
        executable = URL(fileURLWithPath: path)
    }

    /// Pipes the message to sendmail on a thread of its own; a non-zero exit is a transient failure.
    public func deliver(_ message: OutgoingMessage) async -> DeliveryResult {
        let executable = executable
        return await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(returning: Self.run(executable, message))
            }
        }
    }

    private static func run(_ executable: URL, _ message: OutgoingMessage) -> DeliveryResult {
        let process = Process()
        process.executableURL = executable
        process.arguments = ["-i", "-f", message.envelopeFrom, "--", message.recipient]
        let input = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return .failed(permanent: false, "cannot start \(executable.path): \(YAMLDocument.reason(error))")
        }
        // sendmail wants LF line endings on its standard input.
        let text = Data(message.bytes.split(separator: 13, omittingEmptySubsequences: false).joined())
        input.fileHandleForWriting.write(text)
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        let detail = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        if process.terminationStatus == 0 { return .delivered("sendmail accepted") }
        return .failed(permanent: false, "sendmail exited with \(process.terminationStatus): \(detail)")
    }

    /// Nothing to close.
    public func close() async {}
}
