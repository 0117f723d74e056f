import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes and removes files so that a crash at any moment leaves either the old or the new content, never a part:
/// the bytes go to a temporary file in the same folder, which is flushed to disk (`fsync`) and renamed over the
/// target, and then the folder itself is flushed so the rename is durable. Readers never see a half-written file.
public enum SafeFile {
    /// A failed system call, with the path and the system's reason.
    public struct Failure: Error, CustomStringConvertible {
        /// What failed, the path and the system's reason.
        public var description: String
    }

    /// Replaces `file` (which may not exist yet, unless `mustBeNew`) with `data`, keeping its permissions.
    ///
    /// With `mustBeNew` the write fails, leaving everything as it was, when `file` already exists.
    public static func write(_ data: Data, to file: URL, mustBeNew: Bool = false) throws(Failure) {
        let folder = file.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(".\(file.lastPathComponent).\(UUID().uuidString).tmp").path
        var mode: mode_t = 0o644
        var status = stat()
        if stat(file.path, &status) == 0 { mode = status.st_mode & 0o7777 }
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw failure("cannot create a temporary file in", folder.path) }
        let ok = data.withUnsafeBytes { writeAll($0, to: descriptor) }
        if !ok || fsync(descriptor) != 0 {
            let problem = failure("cannot write", temporary)
            close(descriptor)
            unlink(temporary)
            throw problem
        }
        _ = fchmod(descriptor, mode)
        close(descriptor)
        if mustBeNew {
            // link() refuses an existing target, so two creators never overwrite each other.
            guard link(temporary, file.path) == 0 else {
                let problem = failure("cannot create", file.path)
                unlink(temporary)
                throw problem
            }
            unlink(temporary)
        } else {
            guard rename(temporary, file.path) == 0 else {
                let problem = failure("cannot replace", file.path)
                unlink(temporary)
                throw problem
            }
        }
        try syncFolder(folder)
    }

    /// Writes all of `buffer` to `descriptor`, again after a short write or an interrupted call; false (with `errno`
    /// set) when the system refuses.
    public static func writeAll(_ buffer: UnsafeRawBufferPointer, to descriptor: Int32) -> Bool {
        guard let base = buffer.baseAddress else { return true }
        var written = 0
        while written < buffer.count {
            let count = systemWrite(descriptor, base + written, buffer.count - written)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return false }
            written += count
        }
        return true
    }

    /// Removes `file` and makes the removal durable.
    public static func remove(_ file: URL) throws(Failure) {
        guard unlink(file.path) == 0 else { throw failure("cannot remove", file.path) }
        try syncFolder(file.deletingLastPathComponent())
    }

    /// Flushes a folder's entries (a rename or removal in it) to disk.
    public static func syncFolder(_ folder: URL) throws(Failure) {
        let descriptor = open(folder.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure("cannot open the folder", folder.path) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw failure("cannot flush the folder", folder.path) }
    }

    private static func failure(_ what: String, _ path: String) -> Failure {
        Failure(description: "\(what) \(path): \(String(cString: strerror(errno))).")
    }
}

/// The C `write`, named apart from the many Swift `write` methods.
private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, buffer, count)
}
