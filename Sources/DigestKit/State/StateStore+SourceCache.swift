import Foundation
import GRDB

/// The last body a source served over HTTP, with the validators to ask whether it changed.
public struct CachedSource: Sendable, Hashable {
    /// The source's name.
    public var source: String
    /// The URL it was fetched from (a changed URL invalidates the cache).
    public var url: String
    /// The ETag the server sent.
    public var etag: String?
    /// The Last-Modified the server sent.
    public var lastModified: String?
    /// The body.
    public var body: Data
    /// The final URL after redirects, to resolve relative links against.
    public var finalURL: String
    /// The charset the server declared.
    public var charset: String?
}

/// Where conditional GETs keep their validators and last bodies between runs.
public protocol SourceCache: Sendable {
    /// The cached copy of `source` fetched from `url`, if any.
    func cachedSource(_ source: String, url: String) throws -> CachedSource?
    /// Keeps `entry` for the next run.
    func storeSource(_ entry: CachedSource) throws
    /// The item page of `source` at `url` as last fetched (`follow`), if kept.
    func cachedPage(_ source: String, url: String) throws -> CachedPage?
    /// Keeps an item page for the next run.
    func storePage(_ page: CachedPage) throws
    /// Forgets the item pages of `source` except those at `urls`.
    func prunePages(_ source: String, keeping urls: Set<String>) throws
}

extension StateStore: SourceCache {
    static func registerSourceCache(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v2-source-cache") { db in
            try db.create(table: "sourceCache") { table in
                table.primaryKey("source", .text)
                table.column("url", .text).notNull()
                table.column("etag", .text)
                table.column("lastModified", .text)
                table.column("body", .blob).notNull()
                table.column("finalURL", .text).notNull()
                table.column("charset", .text)
            }
        }
    }

    /// The cached copy of `source` fetched from `url`, if any.
    public func cachedSource(_ source: String, url: String) throws -> CachedSource? {
        try writer.read { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: "SELECT * FROM sourceCache WHERE source = ? AND url = ?",
                    arguments: [source, url]
                )
            else { return nil }
            return CachedSource(
                source: row["source"],
                url: row["url"],
                etag: row["etag"],
                lastModified: row["lastModified"],
                body: row["body"],
                finalURL: row["finalURL"],
                charset: row["charset"]
            )
        }
    }

    /// Keeps `entry` for the next run, replacing the previous copy.
    public func storeSource(_ entry: CachedSource) throws {
        try writer.write { db in
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO sourceCache (source, url, etag, lastModified, body, finalURL, charset)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    entry.source, entry.url, entry.etag, entry.lastModified, entry.body, entry.finalURL, entry.charset,
                ]
            )
        }
    }
}
