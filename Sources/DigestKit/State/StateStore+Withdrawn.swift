import Foundation
import GRDB

extension StateStore {
    /// The calls seen in earlier runs that sources read without failure this run no longer list, although their
    /// deadline has not passed: withdrawn, as far as anyone can tell. Each is an item with what was kept of it
    /// (title, link, deadline) and ``Item/withdrawn`` set; `present` are the ids the run collected.
    public func withdrawnCalls(present: Set<String>, readSources: Set<String>, now: Date) throws -> [Item] {
        guard !readSources.isEmpty else { return [] }
        return try writer.read { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT itemID, source, title, url, fingerprint FROM itemSeen WHERE kind = 'funding'")
            return rows.compactMap { row -> Item? in
                let id: String = row["itemID"]
                guard !present.contains(id), let source: String = row["source"], readSources.contains(source),
                    let seconds = Item.deadline(inFingerprint: row["fingerprint"]),
                    seconds > now.timeIntervalSince1970
                else { return nil }
                var item = Item(id: id, kind: .funding, source: source, title: row["title"] ?? "")
                item.url = (row["url"] as String?).flatMap(URL.init(string:))
                item.deadline = Date(timeIntervalSince1970: seconds)
                item.withdrawn = true
                return item
            }.sorted { $0.id < $1.id }
        }
    }
}
