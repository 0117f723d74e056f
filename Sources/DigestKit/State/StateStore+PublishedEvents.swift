import Foundation
import GRDB

extension StateStore {
    static func registerPublishedEvents(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v6-published-events") { db in
            try db.create(table: "publishedEvent") { table in
                table.primaryKey("id", .text)
                table.column("calendar", .text).notNull()
                table.column("endsAt", .double).notNull()
            }
        }
    }

    /// Keeps each event's own calendar (`text/calendar`, one VEVENT) by item id, for `digest serve` to answer
    /// `/event/<id>.ics`; events that ended before `now` are forgotten. One transaction.
    public func publishEvents(_ calendars: [(id: String, calendar: String, endsAt: Date)], now: Date) throws {
        try writer.write { db in
            try db.execute(sql: "DELETE FROM publishedEvent WHERE endsAt < ?", arguments: [now.timeIntervalSince1970])
            let statement = try db.cachedStatement(
                sql: "INSERT OR REPLACE INTO publishedEvent (id, calendar, endsAt) VALUES (?, ?, ?)")
            for event in calendars {
                try statement.execute(arguments: [event.id, event.calendar, event.endsAt.timeIntervalSince1970])
            }
        }
    }

    /// The calendar kept for event `id`, if it is still to come.
    public func publishedEvent(_ id: String) throws -> String? {
        try writer.read { db in
            try String.fetchOne(db, sql: "SELECT calendar FROM publishedEvent WHERE id = ?", arguments: [id])
        }
    }
}
