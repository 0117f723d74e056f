import Foundation
import GRDB
import Testing

@testable import DigestKit

@Suite("State store")
struct StateStoreTests {
    static func stores() throws -> [StateStore] {
        let folder = try TestSupport.temporaryFolder()
        return [try StateStore.inMemory(), try StateStore.open(at: folder.appendingPathComponent("state.sqlite"))]
    }

    @Test("the ledger records sending, then the outcome and what was sent, on memory and on disk")
    func ledger() throws {
        for store in try Self.stores() {
            let now = TestSupport.demoNow
            try store.markSending(issue: "2026-W49", subscriber: "Anna@Example.com", messageID: "m1@x", at: now)
            #expect(try store.ledgerEntry(issue: "2026-W49", subscriber: "anna@example.com")?.status == .sending)
            try store.markOutcome(
                issue: "2026-W49",
                subscriber: "anna@example.com",
                result: .delivered("250 OK"),
                sent: ["fu-1": SentRecord(fingerprint: "f", reminded: false)],
                at: now
            )
            let entry = try #require(try store.ledgerEntry(issue: "2026-W49", subscriber: "anna@example.com"))
            #expect(entry.status == .delivered)
            #expect(entry.messageID == "m1@x")
            #expect(entry.detail == "250 OK")
            let expected = ["fu-1": SentRecord(fingerprint: "f", reminded: false)]
            #expect(try store.sentRecords(subscriber: "ANNA@example.com", before: "2026-W50") == expected)
            #expect(try store.sentRecords(subscriber: "anna@example.com", before: "2026-W49").isEmpty)
            try store.markSending(issue: "2026-W49", subscriber: "b@example.com", messageID: "m2@x", at: now)
            try store.markOutcome(
                issue: "2026-W49",
                subscriber: "b@example.com",
                result: .failed(permanent: true, "550 no such user"),
                sent: ["fu-1": SentRecord(fingerprint: "f", reminded: false)],
                at: now
            )
            #expect(try store.ledgerEntry(issue: "2026-W49", subscriber: "b@example.com")?.status == .failed)
            #expect(try store.sentRecords(subscriber: "b@example.com", before: "2026-W50").isEmpty)
        }
    }

    @Test("a file that is not a database, or another program's database, is refused and left alone")
    func refusesForeignFiles() throws {
        let folder = try TestSupport.temporaryFolder()
        let garbage = try TestSupport.write(
            String(repeating: "not sqlite ", count: 500), to: "garbage.sqlite", in: folder)
        let before = try Data(contentsOf: garbage)
        #expect(throws: StateError.self) { try StateStore.open(at: garbage) }
        #expect(try Data(contentsOf: garbage) == before)

        let foreign = folder.appendingPathComponent("foreign.sqlite")
        let queue = try DatabaseQueue(path: foreign.path)
        try queue.write { try $0.execute(sql: "CREATE TABLE notes (text TEXT)") }
        try queue.close()
        let error = #expect(throws: StateError.self) { try StateStore.open(at: foreign) }
        #expect(error?.message.contains("another program") == true)
    }

    @Test("a state written by a newer digest is refused")
    func refusesNewer() throws {
        let folder = try TestSupport.temporaryFolder()
        let file = folder.appendingPathComponent("state.sqlite")
        _ = try StateStore.open(at: file)
        let queue = try DatabaseQueue(path: file.path)
        try queue.write {
            try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future')")
        }
        try queue.close()
        let error = #expect(throws: StateError.self) { try StateStore.open(at: file) }
        #expect(error?.message.contains("newer version") == true)
    }

    @Test("a state of the previous version keeps its source health and loses the validator columns nobody used")
    func dropsUnusedValidators() throws {
        let folder = try TestSupport.temporaryFolder()
        let file = folder.appendingPathComponent("state.sqlite")
        let queue = try DatabaseQueue(path: file.path)
        try StateStore.migrator.migrate(queue, upTo: "v4-follow-pages")
        try queue.write { db in
            try db.execute(sql: "PRAGMA application_id = \(StateStore.applicationID)")
            try db.execute(
                sql: "INSERT INTO sourceHealth (source, consecutiveFailures, lastError, etag) VALUES (?, 2, ?, ?)",
                arguments: ["vinnova", "HTTP 503", "\"abc\""])
        }
        try queue.close()
        let store = try StateStore.open(at: file)
        #expect(try store.sourceHealth().map(\.source) == ["vinnova"])
        #expect(try store.sourceHealth().first?.consecutiveFailures == 2)
        let columns = try store.writer.read { db in try db.columns(in: "sourceHealth").map(\.name) }
        #expect(!columns.contains("etag") && !columns.contains("lastModified"))
        #expect(columns.contains("lastError"))
    }

    @Test("a second lock on the same state is refused while the first is held, and granted after")
    func lock() throws {
        let folder = try TestSupport.temporaryFolder()
        let file = folder.appendingPathComponent("state.sqlite")
        var first = try RunLock.acquire(for: file)
        #expect(first != nil)
        // flock locks belong to the open file description, so a second open in this process conflicts too.
        #expect(try RunLock.acquire(for: file) == nil)
        first = nil
        #expect(try RunLock.acquire(for: file) != nil)
    }

    @Test(
        "deliveries begin and end in batches: suppressed readers are left out, outcomes and abandons recorded together")
    func batches() throws {
        for store in try Self.stores() {
            let now = Date(timeIntervalSince1970: 1_764_572_400)
            let issue = "2026-W49"
            try store.suppress("Cia@example.com", reason: .unsubscribed, at: now)
            try store.markSending(issue: issue, subscriber: "d@example.com", messageID: "m-d", at: now)
            try store.markOutcome(
                issue: issue, subscriber: "d@example.com", result: .failed(permanent: false, "451 busy"), sent: [:],
                at: now)
            let before = try #require(try store.ledgerEntry(issue: issue, subscriber: "d@example.com"))
            let suppressed = try store.beginDeliveries(
                issue: issue,
                [
                    ("Anna@example.com", "m-a"), ("b@example.com", "m-b"), ("cia@example.com", "m-c"),
                    ("d@example.com", "m-d"),
                ],
                at: now)
            #expect(suppressed == ["cia@example.com": .unsubscribed])
            let begun = try store.ledgerEntries(
                issue: issue, subscribers: ["anna@example.com", "B@example.com", "cia@example.com", "d@example.com"])
            #expect(
                begun.mapValues(\.status) == [
                    "anna@example.com": .sending, "b@example.com": .sending, "d@example.com": .sending,
                ])
            #expect(begun["d@example.com"]?.attempts == 2)
            let sent = ["item-1": SentRecord(fingerprint: "f1", reminded: false)]
            try store.finishDeliveries(
                issue: issue,
                [
                    DeliveryOutcome(
                        subscriber: "anna@example.com", ending: .attempted(.delivered("250 ok"), sent: sent)),
                    DeliveryOutcome(subscriber: "b@example.com", ending: .abandoned(restoring: nil)),
                    DeliveryOutcome(subscriber: "d@example.com", ending: .abandoned(restoring: before)),
                ],
                at: now)
            let after = try store.ledgerEntries(
                issue: issue, subscribers: ["anna@example.com", "b@example.com", "d@example.com"])
            #expect(after["anna@example.com"]?.status == .delivered)
            #expect(after["b@example.com"] == nil)
            #expect(after["d@example.com"] == before)
            let records = try store.sentRecords(subscribers: ["ANNA@example.com", "b@example.com"], before: "2026-W50")
            #expect(records == ["anna@example.com": sent])
        }
    }
}
