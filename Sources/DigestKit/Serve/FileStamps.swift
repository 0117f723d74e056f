import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What `digest serve` has read, reduced to each file's name, size, modification time and inode: two stamps
/// differ when a file was edited, replaced, added, removed or renamed (an atomic replace gives a new inode even
/// within one clock tick). Taking one costs a `stat` per file and reads no content.
public struct FileStamps: Sendable, Equatable {
    /// One file's size, modification time and inode, or `missing` when it cannot be read.
    public struct Stamp: Sendable, Hashable {
        var size: Int64
        var seconds: Int
        var nanoseconds: Int
        var inode: UInt64
        var missing: Bool
    }

    /// The config, the topics file and every file under the templates folder, by path.
    public var shared: [String: Stamp]
    /// The subscriber files (`*.yaml`, `*.yml`), by file name.
    public var subscribers: [String: Stamp]

    /// Stamps the files `config` reads: itself, its topics, its templates and its subscriber files.
    public static func take(of config: DigestConfig) -> FileStamps {
        var shared: [String: Stamp] = [:]
        for url in [config.file] + (config.topicsFile.map { [$0] } ?? []) {
            shared[url.path] = stamp(url.path)
        }
        if let walker = FileManager.default.enumerator(atPath: config.templatesFolder.path) {
            while let name = walker.nextObject() as? String {
                let path = config.templatesFolder.path + "/" + name
                shared[path] = stamp(path)
            }
        }
        var subscribers: [String: Stamp] = [:]
        let folder = config.subscribersFolder.path
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
            subscribers[name] = stamp(folder + "/" + name)
        }
        return FileStamps(shared: shared, subscribers: subscribers)
    }

    /// The stamp of `path`, following a symbolic link (an edit of its target counts).
    static func stamp(_ path: String) -> Stamp {
        var info = stat()
        guard stat(path, &info) == 0 else {
            return Stamp(size: -1, seconds: 0, nanoseconds: 0, inode: 0, missing: true)
        }
        #if canImport(Darwin)
            let time = info.st_mtimespec
        #else
            let time = info.st_mtim
        #endif
        return Stamp(
            size: Int64(info.st_size), seconds: Int(time.tv_sec), nanoseconds: Int(time.tv_nsec),
            inode: UInt64(info.st_ino), missing: false)
    }
}
