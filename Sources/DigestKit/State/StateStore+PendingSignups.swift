import Foundation
import GRDB

/// A signup made on the web form and not confirmed yet: no subscriber file until the link in its mail is followed.
public struct PendingSignup: Sendable, Hashable {
    /// The key: ``SignupToken/id``.
    public var id: String
    /// The address, lower-cased.
    public var address: String
    /// The form as sent (``SubscriberForm/encoded``).
    public var form: String
    /// The version of the consent sentence the form showed (``SignupToken/textVersion(_:)``).
    public var textVersion: String
    /// When the form was sent.
    public var createdAt: Date
    /// When the link stops working.
    public var expiresAt: Date
    /// When the link was used, if it was (the address and form are then blanked).
    public var usedAt: Date?
}

extension StateStore {
    static func registerPendingSignups(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v9-pending-signups") { db in
            try db.create(table: "pendingSignup") { table in
                table.primaryKey("id", .text)
                table.column("address", .text).notNull().indexed()
                table.column("form", .text).notNull()
                table.column("textVersion", .text).notNull()
                table.column("createdAt", .double).notNull()
                table.column("expiresAt", .double).notNull()
                table.column("usedAt", .double)
            }
            // The signup mails sent, for the rate limits: the address and the client keyed by the secret, never in
            // clear (``SignupToken/keyedHash(_:purpose:secret:)``).
            try db.create(table: "signupMail") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("addressKey", .text).notNull().indexed()
                table.column("clientKey", .text).notNull().indexed()
                table.column("at", .double).notNull()
            }
        }
    }

    /// Records `signup`, and forgets every signup whose link expired before it was made.
    public func addPendingSignup(_ signup: PendingSignup) throws {
        try writer.write { db in
            try db.execute(
                sql: "DELETE FROM pendingSignup WHERE expiresAt <= ?",
                arguments: [signup.createdAt.timeIntervalSince1970])
            try db.execute(
                sql: """
                    INSERT INTO pendingSignup (id, address, form, textVersion, createdAt, expiresAt, usedAt)
                    VALUES (?, ?, ?, ?, ?, ?, NULL)
                    """,
                arguments: [
                    signup.id, signup.address.lowercased(), signup.form, signup.textVersion,
                    signup.createdAt.timeIntervalSince1970, signup.expiresAt.timeIntervalSince1970,
                ])
        }
    }

    /// The signup under `id`, used or not, expired or not; nil when there is none (never made, or forgotten).
    public func pendingSignup(id: String) throws -> PendingSignup? {
        try writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM pendingSignup WHERE id = ?", arguments: [id]).map { row in
                PendingSignup(
                    id: row["id"], address: row["address"], form: row["form"], textVersion: row["textVersion"],
                    createdAt: Date(timeIntervalSince1970: row["createdAt"]),
                    expiresAt: Date(timeIntervalSince1970: row["expiresAt"]),
                    usedAt: (row["usedAt"] as Double?).map { Date(timeIntervalSince1970: $0) })
            }
        }
    }

    /// Whether `address` has a signup that is neither used nor expired at `now`.
    public func hasPendingSignup(address: String, at now: Date) throws -> Bool {
        try writer.read { db in
            try Bool.fetchOne(
                db,
                sql:
                    "SELECT EXISTS (SELECT 1 FROM pendingSignup WHERE address = ? AND usedAt IS NULL AND expiresAt > ?)",
                arguments: [address.lowercased(), now.timeIntervalSince1970]) ?? false
        }
    }

    /// Uses the signup `id` at `now`, once: true when it was neither used nor expired, and then it is marked used, its
    /// address and form blanked, and every other signup of the same address forgotten (their links would confirm an
    /// address that is subscribed now). False for a signup used before, expired, or unknown; nothing changes then.
    public func usePendingSignup(id: String, at now: Date) throws -> Bool {
        try writer.write { db in
            guard
                let address = try String.fetchOne(
                    db, sql: "SELECT address FROM pendingSignup WHERE id = ? AND usedAt IS NULL AND expiresAt > ?",
                    arguments: [id, now.timeIntervalSince1970])
            else { return false }
            try db.execute(
                sql: "UPDATE pendingSignup SET usedAt = ?, address = '', form = '' WHERE id = ?",
                arguments: [now.timeIntervalSince1970, id])
            try db.execute(
                sql: "DELETE FROM pendingSignup WHERE address = ? AND id != ?", arguments: [address, id])
            return true
        }
    }

    /// Whether a signup mail may go to `addressKey` for `clientKey` at `now`: not when one went to the address less
    /// than `addressInterval` seconds ago, nor for the client less than `clientInterval` ago. When it may, it is
    /// counted, in the same transaction, so two requests at once cannot both send; mails older than both intervals
    /// are forgotten.
    public func reserveSignupMail(
        addressKey: String, clientKey: String, at now: Date, addressInterval: TimeInterval,
        clientInterval: TimeInterval
    ) throws -> Bool {
        let time = now.timeIntervalSince1970
        return try writer.write { db in
            try db.execute(
                sql: "DELETE FROM signupMail WHERE at <= ?", arguments: [time - max(addressInterval, clientInterval)])
            let recent =
                try Bool.fetchOne(
                    db,
                    sql: """
                        SELECT EXISTS (SELECT 1 FROM signupMail WHERE (addressKey = ? AND at > ?) OR (clientKey = ? AND at > ?))
                        """,
                    arguments: [addressKey, time - addressInterval, clientKey, time - clientInterval]) ?? false
            guard !recent else { return false }
            try db.execute(
                sql: "INSERT INTO signupMail (addressKey, clientKey, at) VALUES (?, ?, ?)",
                arguments: [addressKey, clientKey, time])
            return true
        }
    }
}
