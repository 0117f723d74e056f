import Foundation
import GRDB

/// What ``StateStore/erase(_:keepingSuppression:at:)`` removed, table by table.
public struct ErasedRows: Sendable, Hashable {
    /// Rows removed, by table name.
    public var removed: [String: Int] = [:]
    /// Whether a salted hash of the address was left in `suppression`.
    public var keptHash = false
}

extension StateStore {
    /// The tables whose rows name a subscriber's address, with the column that holds it. A new table keyed by the
    /// address belongs here, so that `forget` removes its rows too (a test checks every table of the file).
    static let addressColumns: [(table: String, column: String)] = [
        ("delivery", "subscriber"), ("sentItem", "subscriber"), ("feedback", "address"), ("suppression", "address"),
        ("pendingSignup", "address"),
    ]

    static func registerErasure(in migrator: inout DatabaseMigrator) {
        // A random salt per state file for the hashes an erasure leaves in `suppression`.
        migrator.registerMigration("v10-erasure-salt") { db in
            try db.create(table: "stateSecret") { table in
                table.primaryKey("name", .text)
                table.column("value", .blob).notNull()
            }
            try db.execute(sql: "INSERT INTO stateSecret (name, value) VALUES ('erasureSalt', randomblob(32))")
        }
    }

    static func readErasureSalt(_ db: Database) throws -> Data {
        guard let salt = try Data.fetchOne(db, sql: "SELECT value FROM stateSecret WHERE name = 'erasureSalt'") else {
            throw StateError(path: "state", message: "has no erasure salt; move the file aside to start a new one.")
        }
        return salt
    }

    /// Removes every row that names `address` (any case) from every table that holds addresses, in one transaction.
    /// With `keepingSuppression`, a salted hash of the address is left in `suppression` (with the reason it was
    /// suppressed for, or `erased`), so that no later import or file mails it again; without, nothing is left.
    @discardableResult
    public func erase(_ address: String, keepingSuppression: Bool, at now: Date) throws -> ErasedRows {
        let lowered = address.lowercased()
        let hash = ErasureHash.key(for: lowered, salt: erasureSalt)
        return try writer.write { db in
            var erased = ErasedRows()
            let reason = try Self.suppression([lowered, hash], in: db)
            for (table, column) in Self.addressColumns {
                try db.execute(sql: "DELETE FROM \(table) WHERE lower(\(column)) = ?", arguments: [lowered])
                erased.removed[table] = db.changesCount
            }
            // The checked subscriber files kept for the next run's reading hold the address too (not counted: they
            // are a copy of the file, which is removed).
            try db.execute(
                sql: "DELETE FROM subscriberFile WHERE instr(lower(CAST(entries AS TEXT)), ?) > 0",
                arguments: ["\"" + lowered + "\""])
            try db.execute(sql: "DELETE FROM suppression WHERE address = ?", arguments: [hash])
            if keepingSuppression {
                let kept = reason == .bounced ? SuppressionReason.bounced : .erased
                try db.execute(
                    sql: "INSERT INTO suppression (address, reason, since) VALUES (?, ?, ?)",
                    arguments: [hash, kept.rawValue, now.timeIntervalSince1970])
                erased.keptHash = true
            }
            return erased
        }
    }
}
