import DigestSupport
import Foundation
import GRDB

/// The SQLite state that makes weekly runs exactly-once: the delivery ledger per issue, what each subscriber was
/// sent, when items were first seen, and source health.
///
/// The file is created and migrated automatically with named, forward-only migrations. A file that is corrupt,
/// belongs to another program, or was written by a newer digest is refused, never overwritten.
public final class StateStore: Sendable {
    /// `PRAGMA application_id` of a digest state file ("DGST").
    static let applicationID: Int32 = 0x4447_5354
    let writer: any DatabaseWriter
    /// The file's path, for messages.
    public let path: String
    /// The random salt of this state's erasure hashes (made by the v10 migration, never shown).
    let erasureSalt: Data

    /// Opens the state at `url`, creating it when no file is there. A file that is there but empty, or a database
    /// without digest's tables, is refused: taking it as a new ledger would send the whole issue again.
    ///
    /// A new state is made whole in a temporary file and then linked into place, so a run killed while creating it
    /// leaves no state at all (the next run creates it again), never a half-made one that would be refused.
    public static func open(at url: URL) throws(StateError) -> StateStore {
        let path = url.path
        if FileManager.default.fileExists(atPath: path),
            let size = try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int, size == 0
        {
            throw StateError(path: path, message: Self.notAState("is empty (0 bytes)"))
        }
        do {
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(),
                withIntermediateDirectories: true
            )
            if !FileManager.default.fileExists(atPath: path) { try create(at: url) }
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            let pool = try DatabasePool(path: path, configuration: configuration)
            return try StateStore(writer: pool, path: path, isNew: false)
        } catch let error as StateError {
            throw error
        } catch let error as DatabaseError
            where error.resultCode == .SQLITE_NOTADB || error.resultCode == .SQLITE_CORRUPT
        {
            throw StateError(
                path: path,
                message: "is not a readable SQLite database (\(error.resultCode)); move it aside to start a new state."
            )
        } catch {
            throw StateError(path: path, message: "cannot be opened: \(error)")
        }
    }

    /// Makes a complete new state (every migration, digest's application id) in a temporary file beside `url`, then
    /// links it to `url` unless another process made one there first, and flushes the folder.
    private static func create(at url: URL) throws {
        let folder = url.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).new").path
        defer { unlink(temporary) }
        let queue = try DatabaseQueue(path: temporary)
        try migrator.migrate(queue)
        try queue.write { db in try db.execute(sql: "PRAGMA application_id = \(Self.applicationID)") }
        try queue.close()
        guard link(temporary, url.path) == 0 || errno == EEXIST else {
            throw StateError(path: url.path, message: "cannot be created: \(String(cString: strerror(errno))).")
        }
        try SafeFile.syncFolder(folder)
    }

    /// An in-memory state, for tests and dry runs.
    public static func inMemory() throws -> StateStore {
        try StateStore(writer: DatabaseQueue(), path: ":memory:", isNew: true)
    }

    /// The message for a file that is there but holds no state.
    static func notAState(_ what: String) -> String {
        "\(what), so it holds no ledger; if the state was lost, move the file aside to start a new one "
            + "(every subscriber is then sent the current issue again)."
    }

    private init(writer: any DatabaseWriter, path: String, isNew: Bool) throws {
        self.writer = writer
        self.path = path
        let migrator = Self.migrator
        try writer.write { db in
            let tables = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master WHERE type = 'table'") ?? 0
            let application = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
            if tables > 0 && application != Self.applicationID {
                throw StateError(path: path, message: "belongs to another program (it is not a digest state file).")
            }
            if tables == 0 && !isNew {
                throw StateError(path: path, message: Self.notAState("is a database without digest's tables"))
            }
            if try migrator.hasBeenSuperseded(db) {
                throw StateError(
                    path: path,
                    message: "was written by a newer version of digest; upgrade digest to use it."
                )
            }
        }
        try migrator.migrate(writer)
        try writer.write { db in try db.execute(sql: "PRAGMA application_id = \(Self.applicationID)") }
        erasureSalt = try writer.read { db in try Self.readErasureSalt(db) }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-ledger-and-history") { db in
            try db.create(table: "delivery") { table in
                table.column("issue", .text).notNull()
                table.column("subscriber", .text).notNull()
                table.column("messageID", .text).notNull()
                table.column("status", .text).notNull()
                table.column("attempts", .integer).notNull().defaults(to: 0)
                table.column("detail", .text).notNull().defaults(to: "")
                table.column("updatedAt", .double).notNull()
                table.primaryKey(["issue", "subscriber"])
            }
            try db.create(table: "sentItem") { table in
                table.column("subscriber", .text).notNull()
                table.column("itemID", .text).notNull()
                table.column("fingerprint", .text).notNull()
                table.column("reminded", .boolean).notNull().defaults(to: false)
                table.column("issue", .text).notNull()
                table.primaryKey(["subscriber", "itemID", "issue"])
            }
            try db.create(table: "itemSeen") { table in
                table.primaryKey("itemID", .text)
                table.column("firstSeen", .double).notNull()
                table.column("fingerprint", .text).notNull()
            }
            try db.create(table: "sourceHealth") { table in
                table.primaryKey("source", .text)
                table.column("lastSuccess", .double)
                table.column("lastFailure", .double)
                table.column("consecutiveFailures", .integer).notNull().defaults(to: 0)
                table.column("lastError", .text)
                table.column("lastItemCount", .integer)
                table.column("etag", .text)
                table.column("lastModified", .text)
            }
            try db.create(table: "run") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("issue", .text).notNull()
                table.column("startedAt", .double).notNull()
                table.column("finishedAt", .double)
                table.column("summary", .text)
            }
        }
        registerSourceCache(in: &migrator)
        registerSuppression(in: &migrator)
        registerFollowPages(in: &migrator)
        // The conditional-GET validators live in sourceCache (v2); sourceHealth's own were never written or read.
        migrator.registerMigration("v5-drop-unused-validators") { db in
            try db.alter(table: "sourceHealth") { table in
                table.drop(column: "etag")
                table.drop(column: "lastModified")
            }
        }
        registerPublishedEvents(in: &migrator)
        // What a call was, so that one its source no longer lists can be told "withdrawn" to those who got it.
        migrator.registerMigration("v7-item-seen-details") { db in
            try db.alter(table: "itemSeen") { table in
                table.add(column: "kind", .text)
                table.add(column: "source", .text)
                table.add(column: "title", .text)
                table.add(column: "url", .text)
            }
        }
        registerSubscriberCache(in: &migrator)
        registerPendingSignups(in: &migrator)
        registerErasure(in: &migrator)
        return migrator
    }
}
