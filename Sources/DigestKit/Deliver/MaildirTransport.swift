import DigestSupport
import Foundation

/// Delivers into a Maildir folder (`tmp/`, `new/`, `cur/`): each message is written to `tmp/` and renamed into
/// `new/`, so a reader never sees half a message.
public struct MaildirTransport: MessageTransport {
    /// The Maildir's root folder.
    public let folder: URL

    /// A transport into `folder`, creating `tmp/`, `new/` and `cur/` as needed.
    public init(folder: URL) throws {
        self.folder = folder
        for sub in ["tmp", "new", "cur"] {
            try FileManager.default.createDirectory(
                at: folder.appendingPathComponent(sub),
                withIntermediateDirectories: true
            )
        }
    }

    /// Writes the message; its file name derives from the Message-ID, so a resend replaces rather than adds.
    ///
    /// As Maildir asks of a delivery agent, the file is flushed to disk in `tmp/` before it is renamed into `new/`,
    /// so a delivery recorded as made is on disk. The writing happens off Swift's cooperative threads (an `fsync`
    /// waits for the disk), so several deliveries in flight overlap their waits.
    public func deliver(_ message: OutgoingMessage) async -> DeliveryResult {
        let name = "digest." + StableHash.hex(message.messageID, length: 24) + ".eml"
        let temporary = folder.path + "/tmp/" + name
        let final = folder.path + "/new/" + name
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: Self.write(message.bytes, temporary: temporary, final: final))
            }
        }
    }

    private static func write(_ bytes: [UInt8], temporary: String, final: String) -> DeliveryResult {
        func failed() -> DeliveryResult {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            return .failed(permanent: false, "cannot write \(final): \(reason)")
        }
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return failed() }
        let complete = bytes.withUnsafeBytes { SafeFile.writeAll($0, to: descriptor) }
        guard complete, fsync(descriptor) == 0 else {
            let result = failed()
            systemClose(descriptor)
            return result
        }
        systemClose(descriptor)
        // rename(2) replaces an existing file atomically; Foundation's replaceItemAt fails on Linux when the target
        // exists, and removed the delivered message while failing.
        guard rename(temporary, final) == 0 else { return failed() }
        return .delivered(final)
    }

    /// Sixteen: each delivery mostly waits for its `fsync`, and the waits overlap.
    public var deliveriesInFlight: Int? { 16 }

    /// Nothing to close.
    public func close() async {}
}

/// The C `close`, named apart from the transport's own.
private func systemClose(_ descriptor: Int32) {
    _ = close(descriptor)
}
