import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An exclusive advisory lock (`flock`) on a lock file, held until the value is released; the operating system
/// releases it too when the process ends, crashed or not.
public final class FileLock: Sendable {
    /// The lock file could not be created or locked; `description` names the path and the system's reason.
    public struct Failure: Error, Equatable, CustomStringConvertible {
        /// The lock file.
        public var path: String
        /// What went wrong, ending with a full stop.
        public var message: String
        /// `path: message`.
        public var description: String { "\(path): \(message)" }
    }

    private let descriptor: Int32

    /// Takes the lock on `path` (created when missing). With `wait` it waits for another holder to let go; without,
    /// it returns nil at once when another process holds it.
    public static func acquire(at path: String, wait: Bool) throws(Failure) -> FileLock? {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw Failure(path: path, message: "cannot create the lock file: \(String(cString: strerror(errno))).")
        }
        while flock(descriptor, wait ? LOCK_EX : LOCK_EX | LOCK_NB) != 0 {
            if errno == EINTR { continue }
            let reason = errno
            close(descriptor)
            if reason == EWOULDBLOCK && !wait { return nil }
            throw Failure(path: path, message: "cannot lock: \(String(cString: strerror(reason))).")
        }
        return FileLock(descriptor: descriptor)
    }

    /// Runs `body` holding the lock on `path`, waiting for it first.
    public static func withLock<T, E: Error>(
        at path: String, _ body: () throws(E) -> T, failure: (Failure) -> E
    ) throws(E) -> T {
        let lock: FileLock?
        do {
            lock = try acquire(at: path, wait: true)
        } catch {
            throw failure(error)
        }
        defer { withExtendedLifetime(lock) {} }  // held until body has returned
        return try body()
    }

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
