import Foundation
import GRDB

/// Why an address is never mailed.
public enum SuppressionReason: String, Sendable, CaseIterable {
    /// The person unsubscribed (one-click, the web page, or by mail).
    case unsubscribed
    /// Hard bounces reached the limit: the mailbox does not exist.
    case bounced
    /// The person asked to be forgotten (`digest subscribers forget`): only a salted hash of the address is kept, so
    /// that a later import or file does not mail them again.
    case erased
}

/// One event that came back from readers or mail servers, for `digest status` and the preview.
public struct FeedbackEvent: Sendable, Hashable {
    /// The address concerned.
    public var address: String
    /// `unsubscribed`, `hard-bounce`, `soft-bounce`, `preferences` or `resubscribed`.
    public var kind: String
    /// Details: the server's status and words, or how the request arrived.
    public var detail: String
    /// When it was recorded.
    public var at: Date
}

extension StateStore {
    static func registerSuppression(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v3-suppression-and-feedback") { db in
            try db.create(table: "suppression") { table in
                table.primaryKey("address", .text)
                table.column("reason", .text).notNull()
                table.column("since", .double).notNull()
            }
            try db.create(table: "feedback") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("address", .text).notNull().indexed()
                table.column("kind", .text).notNull()
                table.column("detail", .text).notNull()
                table.column("at", .double).notNull()
            }
        }
    }

    /// Never mail `address` again (until `unsuppress`), for `reason`.
    public func suppress(_ address: String, reason: SuppressionReason, at now: Date) throws {
        try writer.write { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO suppression (address, reason, since) VALUES (?, ?, ?)",
                arguments: [address.lowercased(), reason.rawValue, now.timeIntervalSince1970]
            )
        }
    }

    /// Lifts the suppression of `address` (the person subscribed again), an erasure's hash of it included.
    public func unsuppress(_ address: String, at now: Date) throws {
        let keys = suppressionKeys(of: address)
        try writer.write { db in
            try db.execute(sql: "DELETE FROM suppression WHERE address IN (?, ?)", arguments: StatementArguments(keys))
        }
        try record(FeedbackEvent(address: address, kind: "resubscribed", detail: "", at: now))
    }

    /// Why `address` is suppressed, or nil when it may be mailed: by the address itself or by the salted hash an
    /// erasure left (two primary-key lookups).
    public func suppression(of address: String) throws -> SuppressionReason? {
        let keys = suppressionKeys(of: address)
        return try writer.read { db in try Self.suppression(keys, in: db) }
    }

    /// The keys `address` may be suppressed under: itself, lower-cased, and its erasure hash.
    func suppressionKeys(of address: String) -> [String] {
        let lowered = address.lowercased()
        return [lowered, ErasureHash.key(for: lowered, salt: erasureSalt)]
    }

    /// The reason stored under any of `keys`, or nil.
    static func suppression(_ keys: [String], in db: Database) throws -> SuppressionReason? {
        try String.fetchOne(
            db.cachedStatement(sql: "SELECT reason FROM suppression WHERE address IN (?, ?) ORDER BY address LIMIT 1"),
            arguments: StatementArguments(keys)
        ).map { SuppressionReason(rawValue: $0) ?? .unsubscribed }
    }

    /// Every suppression, for checking many addresses: by address, and by erasure hash.
    public func suppressionList() throws -> SuppressionList {
        SuppressionList(reasons: try suppressions(), salt: erasureSalt)
    }

    /// Every suppressed address with its reason.
    public func suppressions() throws -> [String: SuppressionReason] {
        try writer.read { db in
            var result: [String: SuppressionReason] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT address, reason FROM suppression") {
                result[row["address"]] = SuppressionReason(rawValue: row["reason"]) ?? .unsubscribed
            }
            return result
        }
    }

    /// Records a reader's or server's feedback.
    public func record(_ event: FeedbackEvent) throws {
        try writer.write { db in
            try db.execute(
                sql: "INSERT INTO feedback (address, kind, detail, at) VALUES (?, ?, ?, ?)",
                arguments: [event.address.lowercased(), event.kind, event.detail, event.at.timeIntervalSince1970]
            )
        }
    }

    /// How many hard bounces `address` has had.
    public func hardBounces(of address: String) throws -> Int {
        try writer.read { db in
            try Int.fetchOne(
                db,
                sql: "SELECT count(*) FROM feedback WHERE address = ? AND kind = 'hard-bounce'",
                arguments: [address.lowercased()]
            ) ?? 0
        }
    }

    /// Feedback recorded since `date`, oldest first.
    public func feedback(since date: Date) throws -> [FeedbackEvent] {
        try writer.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM feedback WHERE at >= ? ORDER BY id",
                arguments: [date.timeIntervalSince1970]
            ).map { row in
                FeedbackEvent(
                    address: row["address"],
                    kind: row["kind"],
                    detail: row["detail"],
                    at: Date(timeIntervalSince1970: row["at"])
                )
            }
        }
    }
}
