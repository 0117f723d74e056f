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

    /// The paths of the subscriber files checked before under `context` (the rules they were checked by).
    public func subscriberFilePaths(context: String) throws -> Set<String> {
        try writer.read { db in
            try Set(String.fetchAll(db, sql: "SELECT path FROM subscriberFile WHERE context = ?", arguments: [context]))
        }
    }

    /// The subscriber files among `paths` checked before under `context`, by path: each with the stamp of the file
    /// then (size, times, inode) and its checked entries, encoded. Read a batch at a time, so that a run over many
    /// files never holds every kept entry at once.
    public func subscriberFiles(context: String, paths: [String]) throws -> [String: (stamp: String, entries: Data)] {
        try writer.read { db in
            var found: [String: (stamp: String, entries: Data)] = [:]
            for start in stride(from: 0, to: paths.count, by: 500) {  // within SQLite's limit on parameters
                let batch = Array(paths[start..<min(start + 500, paths.count)])
                let marks = Array(repeating: "?", count: batch.count).joined(separator: ",")
                let rows = try Row.fetchCursor(
                    db, sql: "SELECT path, stamp, entries FROM subscriberFile WHERE context = ? AND path IN (\(marks))",
                    arguments: StatementArguments([context] + batch))
                while let row = try rows.next() {
                    found[row["path"]] = (row["stamp"], row["entries"])
                }
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
