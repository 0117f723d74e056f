import Foundation
import GRDB

extension StateStore {
    /// The ledger row of `subscriber` in `issue`, if any.
    public func ledgerEntry(issue: String, subscriber: String) throws -> LedgerEntry? {
        try writer.read { db in
            try Row.fetchOne(
                db,
                sql: "SELECT * FROM delivery WHERE issue = ? AND subscriber = ?",
                arguments: [issue, subscriber.lowercased()]
            ).map(Self.entry)
        }
    }

    /// Every ledger row of `issue`.
    public func ledger(issue: String) throws -> [LedgerEntry] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM delivery WHERE issue = ? ORDER BY subscriber", arguments: [issue])
                .map(Self.entry)
        }
    }

    /// Records, before the transaction starts, that `subscriber`'s digest is about to be sent with `messageID`.
    public func markSending(issue: String, subscriber: String, messageID: String, at now: Date) throws {
        try writer.write { db in
            try db.cachedStatement(sql: Self.recordSending).execute(arguments: [
                issue, subscriber.lowercased(), messageID, now.timeIntervalSince1970,
            ])
        }
    }

    /// Records (issue, subscriber, messageID, time) as `sending`, counting the attempt.
    private static let recordSending = """
        INSERT INTO delivery (issue, subscriber, messageID, status, attempts, detail, updatedAt)
        VALUES (?, ?, ?, 'sending', 1, '', ?)
        ON CONFLICT(issue, subscriber) DO UPDATE SET
            status = 'sending', attempts = attempts + 1, updatedAt = excluded.updatedAt
        """

    /// Checks that `subscriber` is not suppressed and, in the same transaction, records that their digest is about
    /// to be sent with `messageID` (as `markSending`). Returns the reason when the address is suppressed, and then
    /// records nothing: a reader who unsubscribed while the run was going is not mailed by it.
    public func beginDelivery(
        issue: String, subscriber: String, messageID: String, at now: Date
    ) throws -> SuppressionReason? {
        try beginDeliveries(issue: issue, [(subscriber, messageID)], at: now)[subscriber.lowercased()]
    }

    /// ``beginDelivery(issue:subscriber:messageID:at:)`` for several deliveries in one transaction: each address is
    /// checked against the suppression list and, unless suppressed, recorded as `sending` with its Message-ID.
    /// Returns the suppressed addresses (lower-cased) with their reasons; nothing is recorded for them.
    public func beginDeliveries(
        issue: String, _ deliveries: [(subscriber: String, messageID: String)], at now: Date
    ) throws -> [String: SuppressionReason] {
        guard !deliveries.isEmpty else { return [:] }
        return try writer.write { db in
            let record = try db.cachedStatement(sql: Self.recordSending)
            var suppressed: [String: SuppressionReason] = [:]
            for delivery in deliveries {
                let address = delivery.subscriber.lowercased()
                // The address, or the hash an erasure left of it.
                if let reason = try Self.suppression(suppressionKeys(of: address), in: db) {
                    suppressed[address] = reason
                    continue
                }
                try record.execute(arguments: [issue, address, delivery.messageID, now.timeIntervalSince1970])
            }
            return suppressed
        }
    }

    /// Undoes `beginDelivery` for a delivery that was never attempted because the transport could not send at all
    /// (`DeliveryResult.transportFailed`): the row goes back to what it was before (`previous`), or away when there
    /// was none, so that the next run sends it as if this one had not tried, and nothing is left `sending` by it.
    public func abandonDelivery(issue: String, subscriber: String, restoring previous: LedgerEntry?) throws {
        try finishDeliveries(
            issue: issue, [DeliveryOutcome(subscriber: subscriber, ending: .abandoned(restoring: previous))], at: Date()
        )
    }

    /// Records how the delivery ended and, when delivered, what the subscriber was sent, in one transaction.
    public func markOutcome(
        issue: String,
        subscriber: String,
        result: DeliveryResult,
        sent records: [String: SentRecord],
        at now: Date
    ) throws {
        try finishDeliveries(
            issue: issue,
            [DeliveryOutcome(subscriber: subscriber, ending: .attempted(result, sent: records))], at: now)
    }

    /// Records how several deliveries ended, in one transaction: each attempted one as
    /// ``markOutcome(issue:subscriber:result:sent:at:)`` does, each abandoned one as
    /// ``abandonDelivery(issue:subscriber:restoring:)`` does.
    public func finishDeliveries(issue: String, _ outcomes: [DeliveryOutcome], at now: Date) throws {
        guard !outcomes.isEmpty else { return }
        try writer.write { db in
            let update = try db.cachedStatement(
                sql: "UPDATE delivery SET status = ?, detail = ?, updatedAt = ? WHERE issue = ? AND subscriber = ?")
            let sentItem = try db.cachedStatement(
                sql: """
                    INSERT INTO sentItem (subscriber, itemID, fingerprint, reminded, issue) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT(subscriber, itemID, issue) DO UPDATE SET
                        fingerprint = excluded.fingerprint, reminded = excluded.reminded
                    """)
            for outcome in outcomes {
                let address = outcome.subscriber.lowercased()
                let result: DeliveryResult
                let records: [String: SentRecord]
                switch outcome.ending {
                case .abandoned(let previous?):
                    try db.cachedStatement(
                        sql: """
                            UPDATE delivery SET status = ?, attempts = ?, detail = ? WHERE issue = ? AND subscriber = ?
                            """
                    ).execute(arguments: [
                        previous.status.rawValue, previous.attempts, previous.detail, issue, address,
                    ])
                    continue
                case .abandoned(nil):
                    try db.cachedStatement(
                        sql: "DELETE FROM delivery WHERE issue = ? AND subscriber = ? AND status = 'sending'"
                    ).execute(arguments: [issue, address])
                    continue
                case .attempted(let attempted, let sent):
                    result = attempted
                    records = sent
                }
                let status: DeliveryStatus
                let detail: String
                switch result {
                case .delivered(let reply):
                    status = .delivered
                    detail = reply
                case .failed(let permanent, let reply):
                    status = permanent ? .failed : .deferred
                    detail = reply
                case .transportFailed(let failure):
                    // Normally abandoned; recorded as deferred (sent by the next run) if it comes here.
                    status = .deferred
                    detail = failure.description
                }
                try update.execute(arguments: [
                    status.rawValue, String(detail.prefix(1000)), now.timeIntervalSince1970, issue, address,
                ])
                guard status == .delivered else { continue }
                for (itemID, record) in records.sorted(by: { $0.key < $1.key }) {
                    try sentItem.execute(arguments: [address, itemID, record.fingerprint, record.reminded, issue])
                }
            }
        }
    }

    /// What `subscriber` was sent before `issue`, by item id: an item counts as sent if any other issue carried it,
    /// as reminded if any other issue reminded of it, with the fingerprint it had when last sent.
    ///
    /// The issue being built is left out, so that rebuilding it (a preview after the send, a resend after a crash)
    /// gives the same digest.
    public func sentRecords(subscriber: String, before issue: String) throws -> [String: SentRecord] {
        try sentRecords(subscribers: [subscriber], before: issue)[subscriber.lowercased()] ?? [:]
    }

    /// ``sentRecords(subscriber:before:)`` for several subscribers in one read, by lower-cased address (an address
    /// that was sent nothing has no entry).
    public func sentRecords(subscribers: [String], before issue: String) throws -> [String: [String: SentRecord]] {
        let addresses = subscribers.map { $0.lowercased() }
        return try writer.read { db in
            var records: [String: [String: SentRecord]] = [:]
            for chunk in Self.chunks(of: addresses) {
                let rows = try Row.fetchCursor(
                    db.cachedStatement(
                        sql: """
                            SELECT subscriber, itemID, fingerprint, reminded FROM sentItem
                            WHERE subscriber IN (\(Self.placeholders(chunk.count))) AND issue != ? ORDER BY rowid
                            """),
                    arguments: StatementArguments(chunk + [issue]))
                while let row = try rows.next() {
                    let address: String = row["subscriber"]
                    let itemID: String = row["itemID"]
                    let reminded = (records[address]?[itemID]?.reminded ?? false) || row["reminded"]
                    records[address, default: [:]][itemID] = SentRecord(
                        fingerprint: row["fingerprint"], reminded: reminded)
                }
            }
            return records
        }
    }

    /// The ledger rows of several subscribers in `issue`, in one read, by lower-cased address.
    public func ledgerEntries(issue: String, subscribers: [String]) throws -> [String: LedgerEntry] {
        let addresses = subscribers.map { $0.lowercased() }
        return try writer.read { db in
            var entries: [String: LedgerEntry] = [:]
            for chunk in Self.chunks(of: addresses) {
                let rows = try Row.fetchCursor(
                    db.cachedStatement(
                        sql: """
                            SELECT * FROM delivery WHERE issue = ? AND subscriber IN (\(Self.placeholders(chunk.count)))
                            """),
                    arguments: StatementArguments([issue] + chunk))
                while let row = try rows.next() {
                    let entry = Self.entry(row)
                    entries[entry.subscriber] = entry
                }
            }
            return entries
        }
    }

    /// `values` in pieces small enough for one statement's parameters.
    private static func chunks(of values: [String]) -> [[String]] {
        stride(from: 0, to: values.count, by: 500).map { Array(values[$0..<min($0 + 500, values.count)]) }
    }

    private static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ", ")
    }

    /// Remembers when each item was first seen (kept from the first run that saw it).
    public func noteSeen(_ items: [Item], at now: Date) throws {
        try writer.write { db in
            for item in items {
                try db.execute(
                    sql: """
                        INSERT INTO itemSeen (itemID, firstSeen, fingerprint, kind, source, title, url)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT(itemID) DO UPDATE SET fingerprint = excluded.fingerprint, kind = excluded.kind,
                            source = excluded.source, title = excluded.title, url = excluded.url
                        """,
                    arguments: [
                        item.id, now.timeIntervalSince1970, item.fingerprint, item.kind.rawValue, item.source,
                        item.title, item.url?.absoluteString,
                    ]
                )
            }
        }
    }

    /// Records each source's outcome: failures in a row, the last item count.
    public func noteSources(_ reports: [SourceReport], at now: Date) throws {
        try writer.write { db in
            for report in reports {
                if let failure = report.failure {
                    try db.execute(
                        sql: """
                            INSERT INTO sourceHealth (source, lastFailure, consecutiveFailures, lastError)
                            VALUES (?, ?, 1, ?)
                            ON CONFLICT(source) DO UPDATE SET lastFailure = excluded.lastFailure,
                                consecutiveFailures = consecutiveFailures + 1, lastError = excluded.lastError
                            """,
                        arguments: [report.name, now.timeIntervalSince1970, failure]
                    )
                } else {
                    try db.execute(
                        sql: """
                            INSERT INTO sourceHealth
                                (source, lastSuccess, consecutiveFailures, lastItemCount, lastDetailFailures)
                            VALUES (?, ?, 0, ?, ?)
                            ON CONFLICT(source) DO UPDATE SET lastSuccess = excluded.lastSuccess,
                                consecutiveFailures = 0, lastItemCount = excluded.lastItemCount,
                                lastDetailFailures = excluded.lastDetailFailures
                            """,
                        arguments: [report.name, now.timeIntervalSince1970, report.itemCount, report.detailFailures]
                    )
                }
            }
        }
    }

    private static func entry(_ row: Row) -> LedgerEntry {
        LedgerEntry(
            issue: row["issue"],
            subscriber: row["subscriber"],
            messageID: row["messageID"],
            status: DeliveryStatus(rawValue: row["status"]) ?? .sending,
            attempts: row["attempts"],
            detail: row["detail"]
        )
    }
}
