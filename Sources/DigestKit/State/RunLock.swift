import DigestSupport
import Foundation

/// An exclusive lock on a state file, so two `digest send` runs never work on the same state at once.
///
/// The operating system releases it when the process ends, crashed or not.
public final class RunLock: Sendable {
    private let lock: FileLock

    /// Takes the lock beside `stateFile` (`<state>.lock`) without waiting; nil when another process holds it.
    public static func acquire(for stateFile: URL) throws -> RunLock? {
        try FileManager.default.createDirectory(
            at: stateFile.deletingLastPathComponent(),
            withIntermediateDirectories: true
        )
        do {
            return try FileLock.acquire(at: stateFile.path + ".lock", wait: false).map(RunLock.init)
        } catch {
            throw StateError(path: error.path, message: error.message)
        }
    }

    private init(_ lock: FileLock) {
        self.lock = lock
    }
}
