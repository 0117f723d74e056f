import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a small text file that people write by hand, refusing what is not one with a reason a person can act on:
/// a named pipe, a device or a folder is never opened (so a FIFO cannot hang the reader), a symbolic link that loops
/// or leads nowhere is named as such, no more than `maximumBytes` are ever read, and text that is not UTF-8 is
/// located at its line and column.
public enum TextFile {
    /// The text of `url`, at most `maximumBytes` long.
    public static func read(_ url: URL, maximumBytes: Int) throws(TextFileError) -> String {
        let path = url.path
        var status = stat()
        guard stat(path, &status) == 0 else { throw failure(path, errno) }
        let type = status.st_mode & S_IFMT
        guard type == S_IFREG else { throw .notRegular(kind: kindName(type)) }
        guard Int(status.st_size) <= maximumBytes else {
            throw .tooLarge(bytes: Int(status.st_size), limit: maximumBytes)
        }
        // The check above already refused pipes; non-blocking guards against one swapped in since.
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { throw failure(path, errno) }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { throw .unreadable(reason: String(cString: strerror(errno))) }
            if count == 0 { break }
            bytes += chunk[..<count]
            // A file that grew since it was measured is still read no further than the limit.
            guard bytes.count <= maximumBytes else { throw .tooLarge(bytes: bytes.count, limit: maximumBytes) }
        }
        return try decode(bytes)
    }

    /// `bytes` as UTF-8 text (a byte-order mark is dropped); the first invalid byte is located.
    public static func decode(_ bytes: [UInt8]) throws(TextFileError) -> String {
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? bytes[3...] : bytes[...]
        if let text = String(validating: body, as: UTF8.self) { return text }
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = body.makeIterator()
        var offset = 0
        var line = 1
        var column = 1
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                offset += encoded.count
                if encoded.count == 1 && encoded.first == UInt8(ascii: "\n") {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
            case .error:
                throw .invalidUTF8(line: line, column: column, byte: body[body.startIndex + offset])
            case .emptyInput:
                // Unreachable: the text was not valid, so the parser meets an error before the end.
                throw .invalidUTF8(line: line, column: column, byte: 0)
            }
        }
    }

    private static func failure(_ path: String, _ code: Int32) -> TextFileError {
        switch code {
        case ELOOP:
            return .symbolicLinkLoop
        case ENOENT:
            if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: path) {
                return .danglingLink(target: target)
            }
            return .missing
        default:
            return .unreadable(reason: String(cString: strerror(code)))
        }
    }

    private static func kindName(_ type: mode_t) -> String {
        switch type {
        case S_IFIFO: "a named pipe"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFSOCK: "a socket"
        case S_IFDIR: "a folder"
        default: "not a regular file"
        }
    }

    private static func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
        #if canImport(Glibc)
            Glibc.read(descriptor, buffer, count)
        #else
            Darwin.read(descriptor, buffer, count)
        #endif
    }
}

/// Why ``TextFile/read(_:maximumBytes:)`` refused a file; its description completes "path …" (or "path:line:column:
/// …" for ``invalidUTF8(line:column:byte:)``).
public enum TextFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Nothing is there.
    case missing
    /// A symbolic link to `target`, which does not exist.
    case danglingLink(target: String)
    /// A symbolic link that leads back to itself.
    case symbolicLinkLoop
    /// A named pipe, device, socket or folder (`kind` says which, with its article).
    case notRegular(kind: String)
    /// The file has `bytes`, more than `limit`.
    case tooLarge(bytes: Int, limit: Int)
    /// The system refused to read it, for `reason`.
    case unreadable(reason: String)
    /// `byte`, at `line` and `column`, is not UTF-8.
    case invalidUTF8(line: Int, column: Int, byte: UInt8)

    /// What is wrong, completing "path …", with what to do about it.
    public var description: String {
        switch self {
        case .missing:
            "does not exist."
        case .danglingLink(let target):
            "is a symbolic link to \(target), which does not exist."
        case .symbolicLinkLoop:
            "is a symbolic link that leads back to itself (a loop); point it at a real file."
        case .notRegular(let kind):
            "is \(kind), not a regular file; put the file itself here."
        case .tooLarge(let bytes, let limit):
            "file is larger than \(Self.size(limit)) (it has \(Self.size(bytes)))."
        case .unreadable(let reason):
            "cannot be read: \(reason.prefix(1).lowercased() + reason.dropFirst())."
        case .invalidUTF8(_, _, let byte):
            "is not valid UTF-8 text: byte 0x\(String(byte, radix: 16, uppercase: true)) here is not part of a "
                + "character; save the file as UTF-8."
        }
    }

    /// `bytes` as people read sizes: `900 bytes`, `64 KiB`, `1 MiB`, `39.2 MiB`.
    public static func size(_ bytes: Int) -> String {
        let units = [(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")]
        for (unit, name) in units where bytes >= unit {
            if bytes % unit == 0 { return "\(bytes / unit) \(name)" }
            return String(format: "%.1f", Double(bytes) / Double(unit)) + " " + name
        }
        return bytes == 1 ? "1 byte" : "\(bytes) bytes"
    }
}
