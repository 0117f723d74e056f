import Foundation
import GRDB

/// What the state holds about one address (GDPR Art. 15), table by table, oldest first.
public struct StoredPersonalData: Sendable, Hashable {
    /// One delivery of one issue.
    public struct Delivery: Sendable, Hashable {
        /// The issue.
        public var issue: String
        /// The Message-ID it was sent with.
        public var messageID: String
        /// `sending`, `delivered`, `failed` or `deferred`.
        public var status: String
        /// How many times it was attempted.
        public var attempts: Int
        /// The transport's last word.
        public var detail: String
        /// When the row last changed.
        public var updatedAt: Date
    }

    /// One item an issue carried to the address.
    public struct SentItem: Sendable, Hashable {
        /// The issue.
        public var issue: String
        /// The item's id.
        public var itemID: String
        /// Whether the issue reminded of its deadline.
        public var reminded: Bool
    }

    /// A suppression: why and since when.
    public struct Suppressed: Sendable, Hashable {
        /// Why the address is not mailed.
        public var reason: SuppressionReason
        /// Since when.
        public var since: Date
    }

    /// The ledger rows.
    public var deliveries: [Delivery] = []
    /// The items sent.
    public var sentItems: [SentItem] = []
    /// Unsubscribes, bounces and other feedback.
    public var feedback: [FeedbackEvent] = []
    /// The suppression of the address (or of its erasure hash), if it is suppressed.
    public var suppression: Suppressed?
}

extension StateStore {
    /// Every row of the state that names `address` (any case).
    public func personalData(of address: String) throws -> StoredPersonalData {
        let lowered = address.lowercased()
        let keys = suppressionKeys(of: lowered)
        return try writer.read { db in
            var data = StoredPersonalData()
            data.deliveries = try Row.fetchAll(
                db, sql: "SELECT * FROM delivery WHERE lower(subscriber) = ? ORDER BY updatedAt, issue",
                arguments: [lowered]
            ).map { row in
                .init(
                    issue: row["issue"], messageID: row["messageID"], status: row["status"],
                    attempts: row["attempts"], detail: row["detail"],
                    updatedAt: Date(timeIntervalSince1970: row["updatedAt"]))
            }
            data.sentItems = try Row.fetchAll(
                db, sql: "SELECT issue, itemID, reminded FROM sentItem WHERE lower(subscriber) = ? ORDER BY rowid",
                arguments: [lowered]
            ).map { row in .init(issue: row["issue"], itemID: row["itemID"], reminded: row["reminded"]) }
            data.feedback = try Row.fetchAll(
                db, sql: "SELECT * FROM feedback WHERE lower(address) = ? ORDER BY id", arguments: [lowered]
            ).map { row in
                FeedbackEvent(
                    address: row["address"], kind: row["kind"], detail: row["detail"],
                    at: Date(timeIntervalSince1970: row["at"]))
            }
            if let row = try Row.fetchOne(
                db, sql: "SELECT reason, since FROM suppression WHERE address IN (?, ?) ORDER BY address LIMIT 1",
                arguments: StatementArguments(keys))
            {
                data.suppression = .init(
                    reason: SuppressionReason(rawValue: row["reason"]) ?? .unsubscribed,
                    since: Date(timeIntervalSince1970: row["since"]))
            }
            return data
        }
    }
}
