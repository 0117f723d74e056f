import Foundation
import GRDB

extension StateStore {
    static func registerSubscriberCache(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v8-subscriber-cache") { db in
            try db.create(table: "subscriberFile") { table in
                table.primaryKey("path", .text)
                table.column("stamp", .text).notNull()
                table.column("context", .text).notNull()
                table.column("entries", .blob).notNull()
            }
        }
    }

    /// The subscriber files checked before under `context` (the rules they were checked by), by path: each with the
    /// stamp of the file then (size, times, inode) and its checked entries, encoded.
    public func subscriberFiles(context: String) throws -> [String: (stamp: String, entries: Data)] {
        try writer.read { db in
            var found: [String: (stamp: String, entries: Data)] = [:]
            let rows = try Row.fetchCursor(
                db, sql: "SELECT path, stamp, entries FROM subscriberFile WHERE context = ?", arguments: [context])
            while let row = try rows.next() {
                found[row["path"]] = (row["stamp"], row["entries"])
            }
            return found
        }
    }

    /// Remembers the files checked without a problem under `context` (replacing what was kept for their paths),
    /// and forgets every path not in `present`. One transaction.
    public func keepSubscriberFiles(
        _ files: [(path: String, stamp: String, entries: Data)], context: String, present: Set<String>
    ) throws {
        try writer.write { db in
            let statement = try db.cachedStatement(
                sql: "INSERT OR REPLACE INTO subscriberFile (path, stamp, context, entries) VALUES (?, ?, ?, ?)")
            for file in files {
                try statement.execute(arguments: [file.path, file.stamp, context, file.entries])
            }
            let kept = try String.fetchAll(db, sql: "SELECT path FROM subscriberFile")
            let delete = try db.cachedStatement(sql: "DELETE FROM subscriberFile WHERE path = ?")
            for path in kept where !present.contains(path) {
                try delete.execute(arguments: [path])
            }
        }
    }
}
