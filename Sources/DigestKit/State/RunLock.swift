import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An exclusive lock on a state file, so two `digest send` runs never work on the same state at once.
///
/// The operating system releases it when the process ends, crashed or not.
public final class RunLock: Sendable {
    private let descriptor: Int32

    /// Takes the lock beside `stateFile` (`<state>.lock`) without waiting; nil when another process holds it.
    public static func acquire(for stateFile: URL) throws -> RunLock? {
        try FileManager.default.createDirectory(
            at: stateFile.deletingLastPathComponent(),
            withIntermediateDirectories: true
        )
        let path = stateFile.path + ".lock"
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw StateError(path: path, message: "cannot create the lock file: \(String(cString: strerror(errno))).")
        }
        if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            close(descriptor)
            return nil
        }
        return RunLock(descriptor: descriptor)
    }

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
