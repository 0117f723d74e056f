import Foundation
import GRDB

/// What an item's own page gave when it was last fetched (`follow`), with the validators to ask whether it changed.
public struct CachedPage: Sendable, Hashable {
    /// The source's name.
    public var source: String
    /// The page's URL.
    public var url: String
    /// A digest of the item's list entry when the page was read (a changed entry asks again).
    public var listDigest: String
    /// A digest of the follow definitions that read it (changed definitions read the page afresh).
    public var definitionDigest: String
    /// The ETag the server sent.
    public var etag: String?
    /// The Last-Modified the server sent.
    public var lastModified: String?
    /// The texts each field matched, by field name.
    public var values: [String: [String]]
    /// Where each value came from, by field name.
    public var origins: [String: String]
    /// Whether the page marked the event cancelled.
    public var cancelled: Bool
    /// When it was fetched or last confirmed unchanged (the run's clock).
    public var fetchedAt: Date

    /// Creates a cached page.
    public init(
        source: String, url: String, listDigest: String, definitionDigest: String, etag: String?,
        lastModified: String?, values: [String: [String]], origins: [String: String], cancelled: Bool, fetchedAt: Date
    ) {
        self.source = source
        self.url = url
        self.listDigest = listDigest
        self.definitionDigest = definitionDigest
        self.etag = etag
        self.lastModified = lastModified
        self.values = values
        self.origins = origins
        self.cancelled = cancelled
        self.fetchedAt = fetchedAt
    }
}

private struct StoredValues: Codable {
    var values: [String: [String]]
    var origins: [String: String]
}

extension StateStore {
    static func registerFollowPages(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v4-follow-pages") { db in
            try db.create(table: "followPage") { table in
                table.column("source", .text).notNull()
                table.column("url", .text).notNull()
                table.column("listDigest", .text).notNull()
                table.column("definitionDigest", .text).notNull()
                table.column("etag", .text)
                table.column("lastModified", .text)
                table.column("extracted", .text).notNull()
                table.column("cancelled", .boolean).notNull().defaults(to: false)
                table.column("fetchedAt", .double).notNull()
                table.primaryKey(["source", "url"])
            }
            try db.alter(table: "sourceHealth") { table in
                table.add(column: "lastDetailFailures", .integer).notNull().defaults(to: 0)
            }
        }
    }

    /// The page of `source` at `url` as last fetched, if kept.
    public func cachedPage(_ source: String, url: String) throws -> CachedPage? {
        try writer.read { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT * FROM followPage WHERE source = ? AND url = ?", arguments: [source, url])
            else { return nil }
            let text: String = row["extracted"]
            let stored = try JSONDecoder().decode(StoredValues.self, from: Data(text.utf8))
            return CachedPage(
                source: row["source"], url: row["url"], listDigest: row["listDigest"],
                definitionDigest: row["definitionDigest"], etag: row["etag"], lastModified: row["lastModified"],
                values: stored.values, origins: stored.origins, cancelled: row["cancelled"],
                fetchedAt: Date(timeIntervalSince1970: row["fetchedAt"]))
        }
    }

    /// Keeps `page`, replacing the previous copy.
    public func storePage(_ page: CachedPage) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let extracted = String(
            decoding: try encoder.encode(StoredValues(values: page.values, origins: page.origins)), as: UTF8.self)
        try writer.write { db in
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO followPage
                        (source, url, listDigest, definitionDigest, etag, lastModified, extracted, cancelled, fetchedAt)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    page.source, page.url, page.listDigest, page.definitionDigest, page.etag, page.lastModified,
                    extracted, page.cancelled, page.fetchedAt.timeIntervalSince1970,
                ]
            )
        }
    }

    /// Forgets the pages of `source` whose items it no longer lists.
    public func prunePages(_ source: String, keeping urls: Set<String>) throws {
        try writer.write { db in
            let stored = try String.fetchAll(
                db, sql: "SELECT url FROM followPage WHERE source = ?", arguments: [source])
            for url in stored where !urls.contains(url) {
                try db.execute(sql: "DELETE FROM followPage WHERE source = ? AND url = ?", arguments: [source, url])
            }
        }
    }
}
