import DigestSupport
import Foundation

extension SafeFile {
    /// Runs `body` holding an exclusive lock on `folder` (the file `.digest-edit.lock` in it), so that two editors
    /// (the command line and a web form, say) never read and rewrite the same file at once. Plain readers need no
    /// lock: they see the old or the new file.
    static func withLock<T>(
        on folder: URL, _ body: () throws(SubscriberEditError) -> T
    ) throws(SubscriberEditError) -> T {
        try FileLock.withLock(at: folder.appendingPathComponent(".digest-edit.lock").path, body) { failure in
            SubscriberEditError(path: failure.path, message: failure.message)
        }
    }
}
