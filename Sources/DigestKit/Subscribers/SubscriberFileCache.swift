import DigestSupport
import Foundation
import Synchronization

/// The subscriber files checked in earlier runs, kept in the state store so that a run reads and checks only the
/// files that changed since: a file is taken from the cache when its path, size, modification and change times and
/// inode are the ones it had when it was checked, under the same rules (topics, organisers, size limit, this
/// format). Only files that passed every check are kept, so every problem is still found by reading the file, and
/// reported exactly as before.
public final class SubscriberFileCache: Sendable {
    /// One kept file: the stamp it had and its entries, encoded.
    typealias Kept = (stamp: String, entries: Data)

    let state: StateStore
    /// What the files were checked against, as one hash.
    let context: String
    /// The paths of the files kept (their entries are read a batch at a time, by ``batch(_:)``).
    private let keptPaths: Set<String>
    private let fresh = Mutex<[(path: String, stamp: String, entries: Data)]>([])
    private let reused = Mutex(0)

    /// How many files were taken from the cache, not read, since it was made.
    public var reusedFiles: Int { reused.withLock { $0 } }

    /// The cache in `state` for files checked against `taxonomy` and `extraOrganizers`, with files up to `limit`;
    /// `checksNames` as for ``SubscriberDirectory/load(folder:displayBase:taxonomy:extraOrganizers:limit:checksNames:cache:)``.
    public init(
        state: StateStore, taxonomy: Taxonomy, extraOrganizers: [String], limit: FileSizeLimit, checksNames: Bool
    ) throws {
        self.state = state
        self.context = Self.context(
            for: taxonomy, extraOrganizers: extraOrganizers, limit: limit, checksNames: checksNames)
        self.keptPaths = try state.subscriberFilePaths(context: context)
    }

    /// What is kept for `files`, read from the state in one go, for ``entries(of:stamp:displayPath:in:)``.
    func batch(_ files: [URL]) throws -> [String: Kept] {
        let paths = files.map(\.path).filter(keptPaths.contains)
        guard !paths.isEmpty else { return [:] }
        return try state.subscriberFiles(context: context, paths: paths)
    }

    /// The rules files are checked by, as one hash: a file kept under other rules is read and checked again.
    static func context(
        for taxonomy: Taxonomy, extraOrganizers: [String] = [], limit: FileSizeLimit = .subscriberFiles(),
        checksNames: Bool = true
    ) -> String {
        var rules = ["subscriber-cache 2", "limit \(limit.bytes) \(limit.key ?? "")", "names \(checksNames)"]
        for topic in taxonomy.topics {
            let labels = topic.labels.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key)=\($0.value)" }
            rules.append("topic \(topic.id)|\(labels.joined(separator: "|"))|\(topic.synonyms.joined(separator: "|"))")
        }
        rules.append("organizers \(taxonomy.organizers.joined(separator: "|"))")
        rules.append("extra \(extraOrganizers.joined(separator: "|"))")
        return StableHash.hex(rules.joined(separator: "\n"), length: 32)
    }

    /// What `file`'s stamp is now: nil unless it is a regular file (a link is always read and checked again).
    static func stamp(of file: URL) -> String? {
        var info = stat()
        guard lstat(file.path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        return "\(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec) "
            + "\(info.st_ctim.tv_sec).\(info.st_ctim.tv_nsec) \(info.st_dev):\(info.st_ino)"
    }

    /// The entries kept for `file` (in `batch`, from ``batch(_:)``) when its stamp is still `stamp`, each with where
    /// it starts; `displayPath` is set as each subscriber's file.
    func entries(
        of file: URL, stamp: String, displayPath: String, in batch: [String: Kept]
    ) -> [SubscriberDirectory.Found]? {
        guard let found = batch[file.path], found.stamp == stamp,
            let decoded = try? JSONDecoder().decode([CachedSubscriber].self, from: found.entries)
        else { return nil }
        reused.withLock { $0 += 1 }
        return decoded.map { $0.subscriber(file: displayPath) }
    }

    /// Notes `file`'s entries, checked without a problem, to be kept by ``save(present:)`` (only a file not taken
    /// from the cache is read and checked, so what is noted is always new).
    func remember(_ file: URL, stamp: String, entries: [SubscriberDirectory.Found]) {
        guard let data = try? JSONEncoder().encode(entries.map(CachedSubscriber.init)) else { return }
        fresh.withLock { $0.append((file.path, stamp, data)) }
    }

    /// Keeps what ``remember(_:stamp:entries:)`` noted and forgets the files that are gone (not in `present`, by
    /// path); writes nothing when nothing changed.
    func save(present: Set<String>) throws {
        let noted = fresh.withLock { $0 }
        guard !noted.isEmpty || keptPaths.contains(where: { !present.contains($0) }) else { return }
        try state.keepSubscriberFiles(noted, context: context, present: present)
    }
}

/// A checked subscriber as the cache keeps it: the whole value (every field a file can set, by the compiler's own
/// coding, so a new field is kept without anyone remembering to), and where its entry starts.
private struct CachedSubscriber: Codable {
    var subscriber: Subscriber
    var line, column: Int?

    init(_ entry: SubscriberDirectory.Found) {
        subscriber = entry.subscriber
        line = entry.line
        column = entry.column
    }

    func subscriber(file: String) -> SubscriberDirectory.Found {
        var subscriber = subscriber
        subscriber.file = file
        return SubscriberDirectory.Found(subscriber: subscriber, line: line, column: column)
    }
}
