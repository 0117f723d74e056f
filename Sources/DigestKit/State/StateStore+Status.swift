import Foundation
import GRDB

/// One `digest send` as the state remembers it.
public struct RunRecord: Sendable, Hashable {
    /// The issue it sent.
    public var issue: String
    /// When it started.
    public var startedAt: Date
    /// When it finished; nil if it crashed or is still running.
    public var finishedAt: Date?
    /// Its one-line summary.
    public var summary: String?
}

/// How a source has fared over the runs.
public struct SourceHealth: Sendable, Hashable {
    /// The source's name.
    public var source: String
    /// Failures in a row (0 when the last run read it).
    public var consecutiveFailures: Int
    /// The last failure's reason.
    public var lastError: String?
    /// Items in the last successful read.
    public var lastItemCount: Int?
    /// When it was last read successfully.
    public var lastSuccess: Date?
    /// Item pages (`follow`) that failed in the last successful read.
    public var lastDetailFailures: Int = 0
}

extension StateStore {
    /// Records the start of a run and returns its id.
    public func beginRun(issue: String, at now: Date) throws -> Int64 {
        try writer.write { db in
            try db.execute(
                sql: "INSERT INTO run (issue, startedAt) VALUES (?, ?)",
                arguments: [issue, now.timeIntervalSince1970]
            )
            return db.lastInsertedRowID
        }
    }

    /// Records the end of run `id` with its summary line.
    public func finishRun(_ id: Int64, summary: String, at now: Date) throws {
        try writer.write { db in
            try db.execute(
                sql: "UPDATE run SET finishedAt = ?, summary = ? WHERE id = ?",
                arguments: [now.timeIntervalSince1970, summary, id]
            )
        }
    }

    /// The latest runs, newest first.
    public func recentRuns(limit: Int = 10) throws -> [RunRecord] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM run ORDER BY id DESC LIMIT ?", arguments: [limit]).map { row in
                RunRecord(
                    issue: row["issue"],
                    startedAt: Date(timeIntervalSince1970: row["startedAt"]),
                    finishedAt: (row["finishedAt"] as Double?).map(Date.init(timeIntervalSince1970:)),
                    summary: row["summary"]
                )
            }
        }
    }

    /// Deliveries per issue and status, newest issues first.
    public func ledgerCounts(issues limit: Int = 5) throws -> [(issue: String, counts: [DeliveryStatus: Int])] {
        try writer.read { db in
            let issues = try String.fetchAll(
                db,
                sql: "SELECT issue FROM delivery GROUP BY issue ORDER BY max(updatedAt) DESC LIMIT ?",
                arguments: [limit]
            )
            return try issues.map { issue in
                var counts: [DeliveryStatus: Int] = [:]
                let rows = try Row.fetchAll(
                    db,
                    sql: "SELECT status, count(*) AS n FROM delivery WHERE issue = ? GROUP BY status",
                    arguments: [issue]
                )
                for row in rows {
                    if let status = DeliveryStatus(rawValue: row["status"]) { counts[status] = row["n"] }
                }
                return (issue, counts)
            }
        }
    }

    /// Every source's health, by name.
    public func sourceHealth() throws -> [SourceHealth] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM sourceHealth ORDER BY source").map { row in
                SourceHealth(
                    source: row["source"],
                    consecutiveFailures: row["consecutiveFailures"],
                    lastError: row["lastError"],
                    lastItemCount: row["lastItemCount"],
                    lastSuccess: (row["lastSuccess"] as Double?).map(Date.init(timeIntervalSince1970:)),
                    lastDetailFailures: row["lastDetailFailures"] ?? 0
                )
            }
        }
    }
}
