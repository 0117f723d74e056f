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
    public func deliver(_ message: OutgoingMessage) async -> DeliveryResult {
        let name = "digest." + StableHash.hex(message.messageID, length: 24) + ".eml"
        let temporary = folder.appendingPathComponent("tmp").appendingPathComponent(name)
        let final = folder.appendingPathComponent("new").appendingPathComponent(name)
        do {
            try Data(message.bytes).write(to: temporary)
            // rename(2) replaces an existing file atomically; Foundation's replaceItemAt fails on Linux when the
            // target exists, and removed the delivered message while failing.
            guard rename(temporary.path, final.path) == 0 else {
                let reason = String(cString: strerror(errno))
                try? FileManager.default.removeItem(at: temporary)
                return .failed(permanent: false, "cannot write \(final.path): \(reason)")
            }
            return .delivered(final.path)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            return .failed(permanent: false, "cannot write \(final.path): \(YAMLDocument.reason(error))")
        }
    }

    /// Nothing to close.
    public func close() async {}
}
