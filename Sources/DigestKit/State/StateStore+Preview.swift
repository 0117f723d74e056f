import Foundation
import GRDB

extension StateStore {
    /// The newest issue other than `issue` that delivered at least one digest, or nil if none did; welcome messages
    /// (``SendOptions/welcomeIssue(for:timeZone:)``) are not issues of the newsletter and never count.
    public func lastSentIssue(other issue: String) throws -> String? {
        try writer.read { db in
            try String.fetchOne(
                db,
                sql: """
                    SELECT issue FROM delivery WHERE status = ? AND issue != ? AND issue NOT LIKE 'welcome-%'
                    GROUP BY issue ORDER BY max(updatedAt) DESC LIMIT 1
                    """,
                arguments: [DeliveryStatus.delivered.rawValue, issue]
            )
        }
    }

    /// Every item `issue` carried to anyone, by item id, with the fingerprint it had then.
    public func sentItems(issue: String) throws -> [String: String] {
        try writer.read { db in
            var items: [String: String] = [:]
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT itemID, fingerprint FROM sentItem WHERE issue = ? ORDER BY rowid",
                arguments: [issue]
            )
            for row in rows {
                items[row["itemID"]] = row["fingerprint"]
            }
            return items
        }
    }
}
