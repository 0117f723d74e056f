import Foundation
import Testing

@testable import DigestKit

@Suite("Erasure and the person's data")
struct ErasureTests {
    @Test("personalData gathers every row naming the address; erase leaves only the salted hash, which still matches")
    func eraseKeepsHash() throws {
        for store in try StateStoreTests.stores() {
            let now = TestSupport.demoNow
            try store.markSending(issue: "2026-W49", subscriber: "Anna@Example.com", messageID: "m1@x", at: now)
            try store.markOutcome(
                issue: "2026-W49", subscriber: "anna@example.com", result: .delivered("250 OK"),
                sent: ["fu-1": SentRecord(fingerprint: "f", reminded: false)], at: now)
            try store.record(FeedbackEvent(address: "ANNA@example.com", kind: "soft-bounce", detail: "4.2.2", at: now))
            try store.suppress("anna@example.com", reason: .unsubscribed, at: now)
            try store.markSending(issue: "2026-W49", subscriber: "erik@example.org", messageID: "m2@x", at: now)

            let data = try store.personalData(of: "anna@EXAMPLE.com")
            #expect(data.deliveries.map(\.issue) == ["2026-W49"])
            #expect(data.sentItems.map(\.itemID) == ["fu-1"])
            #expect(data.feedback.map(\.kind) == ["soft-bounce"])
            #expect(data.suppression?.reason == .unsubscribed)

            let erased = try store.erase("Anna@example.com", keepingSuppression: true, at: now)
            #expect(
                erased.removed == ["delivery": 1, "sentItem": 1, "feedback": 1, "suppression": 1, "pendingSignup": 0])
            #expect(erased.keptHash)
            let after = try store.personalData(of: "anna@example.com")
            #expect(after.deliveries.isEmpty && after.sentItems.isEmpty && after.feedback.isEmpty)
            #expect(after.suppression?.reason == .erased)
            #expect(try store.suppression(of: "ANNA@example.com") == .erased)
            #expect(try store.suppressionList().reason(of: "anna@example.com") == .erased)
            #expect(try store.suppressionList().reason(of: "erik@example.org") == nil)
            #expect(try store.suppressions().keys.allSatisfy { $0.hasPrefix("erased:") && !$0.contains("anna") })
            // A send checks the hash too.
            #expect(
                try store.beginDelivery(issue: "2026-W50", subscriber: "anna@example.com", messageID: "m3@x", at: now)
                    == .erased)
            // The other reader's rows stay.
            #expect(try store.ledgerEntry(issue: "2026-W49", subscriber: "erik@example.org") != nil)

            try store.erase("anna@example.com", keepingSuppression: false, at: now)
            #expect(try store.suppression(of: "anna@example.com") == nil)
            #expect(try store.suppressions().isEmpty)
        }
    }

    @Test("a bounced address keeps its reason under the hash; resubscribing lifts the hash")
    func bouncedAndResubscribed() throws {
        let store = try StateStore.inMemory()
        try store.suppress("b@example.se", reason: .bounced, at: TestSupport.demoNow)
        try store.erase("b@example.se", keepingSuppression: true, at: TestSupport.demoNow)
        #expect(try store.suppression(of: "b@example.se") == .bounced)
        try store.unsuppress("B@example.se", at: TestSupport.demoNow)
        #expect(try store.suppression(of: "b@example.se") == nil)
    }

    @Test("two state files salt the same address differently")
    func salted() throws {
        let one = try StateStore.inMemory()
        let two = try StateStore.inMemory()
        try one.erase("c@example.se", keepingSuppression: true, at: TestSupport.demoNow)
        try two.erase("c@example.se", keepingSuppression: true, at: TestSupport.demoNow)
        #expect(try one.suppressions().keys.first != two.suppressions().keys.first)
    }

    @Test("the archive folder answers plain file names inside it only")
    func archiveFiles() throws {
        let folder = try TestSupport.temporaryFolder()
        let outside = try TestSupport.temporaryFolder()
        try Data("<p>ok</p>".utf8).write(to: folder.appendingPathComponent("2026-W49.html"))
        try Data("<p>index</p>".utf8).write(to: folder.appendingPathComponent("index.html"))
        try Data("secret".utf8).write(to: outside.appendingPathComponent("secret.html"))
        try Data("x".utf8).write(to: folder.appendingPathComponent(".hidden.html"))
        try FileManager.default.createSymbolicLink(
            at: folder.appendingPathComponent("link.html"),
            withDestinationURL: outside.appendingPathComponent("secret.html"))
        let files = ArchiveFiles(folder: folder)
        #expect(files.file("2026-W49.html")?.body == "<p>ok</p>")
        #expect(files.file("2026-W49.html")?.contentType == "text/html; charset=utf-8")
        #expect(files.file("")?.body == "<p>index</p>")
        for name in [
            "../\(outside.lastPathComponent)/secret.html", "..%2Fsecret.html", ".hidden.html", "link.html", "a/b.html",
            "missing.html", "state.sqlite", "..", "index.html\u{0}",
        ] {
            #expect(files.file(name) == nil, "\(name)")
        }
    }
}
