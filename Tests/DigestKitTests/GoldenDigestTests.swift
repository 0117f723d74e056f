import Foundation
import Logging
import Testing

@testable import DigestKit

/// Whole-message golden tests: the example sources, subscribers and templates with a pinned clock and secret must
/// give exactly the bytes in `Fixtures/golden/`. Re-record with `make golden` (DIGEST_RECORD_GOLDEN=1), review the
/// diff, and run the tests again.
@Suite("Golden digests", .serialized)
struct GoldenDigestTests {
    static let golden = TestSupport.fixtures.appendingPathComponent("golden")
    static let recording = ProcessInfo.processInfo.environment["DIGEST_RECORD_GOLDEN"] == "1"

    func build() async throws -> [BuiltDigest] {
        let workspace = try await Workspace.load(configFile: TestSupport.root.appendingPathComponent("digest.yaml"))
        let issue = IssueInfo(id: "2026-W49", now: TestSupport.demoNow, editorNote: try workspace.editorNote())
        let builder = try DigestBuilder(workspace: workspace, issue: issue, secret: Data("golden-secret".utf8))
        let collected = await SourceCollector(
            config: workspace.config,
            taxonomy: workspace.taxonomy,
            logger: Logger(label: "test")
        ).collect(window: workspace.window(at: issue.now))
        #expect(collected.reports.allSatisfy { $0.failure == nil })
        return try workspace.subscribers.map { try builder.build(for: $0, items: collected.items, sent: [:]) }
    }

    @Test("every example subscriber's message, text and HTML match the golden files byte for byte")
    func examples() async throws {
        let digests = try await build()
        #expect(digests.count == 3)
        var recorded: [String] = []
        for digest in digests {
            let files: [(String, Data)] = [
                ("\(digest.subscriber.slug).eml", Data(digest.message.bytes)),
                ("\(digest.subscriber.slug).txt", Data(digest.rendered.text.utf8)),
                ("\(digest.subscriber.slug).html", Data(digest.rendered.html.utf8)),
            ]
            for (name, data) in files {
                let url = Self.golden.appendingPathComponent(name)
                if Self.recording {
                    try FileManager.default.createDirectory(at: Self.golden, withIntermediateDirectories: true)
                    if (try? Data(contentsOf: url)) != data {
                        try data.write(to: url)
                        recorded.append(name)
                    }
                    continue
                }
                let expected = try Data(contentsOf: url)
                #expect(data == expected, "\(name) differs from its golden file; run `make golden` and review the diff")
            }
        }
        if !recorded.isEmpty {
            Issue.record("re-recorded \(recorded.joined(separator: ", ")); review the diff, then run the tests again")
        }
    }

    @Test("building twice gives the same bytes")
    func deterministic() async throws {
        let first = try await build().map(\.message.bytes)
        let second = try await build().map(\.message.bytes)
        #expect(first == second)
    }

    @Test("the Swedish digest reads as it should")
    func swedishContent() async throws {
        let digests = try await build()
        let anna = try #require(digests.first { $0.subscriber.email == "anna.andersson@example.com" })
        #expect(anna.rendered.subject == "Vecka 49: 5 nya utlysningar, 2 nya evenemang")
        let text = anna.rendered.text
        #expect(text.contains("== Nya utlysningar =="))
        #expect(text.contains("tisdag 8 december kl. 09.00–11.30 · Dalarna Science Park, Borlänge"))
        #expect(text.contains("Du får detta för att du följer: Finansiering · Borlänge"))
        #expect(text.contains("Sista ansökningsdag: 9 december 2026 (8 dagar kvar)"))
        #expect(!text.contains("kooperativ"), "Anna excludes the keyword 'kooperativ'")
        #expect(text.split(separator: "\n").allSatisfy { $0.count <= 72 || $0.contains("://") })
        #expect(anna.rendered.html.contains(#"<html lang="sv""#))
        #expect(anna.rendered.html.contains("https://digest.example.se/unsubscribe/"))
        let sara = try #require(digests.first { $0.subscriber.email == "sara.okafor@example.net" })
        #expect(sara.rendered.subject.hasPrefix("Week 49: "))
        #expect(sara.rendered.text.contains("Thursday 17 December"))
    }
}

@Suite("Digest size")
struct DigestSizeTests {
    @Test("200 events with long summaries still fit the HTML budget, with '… och N till'")
    func budget() async throws {
        let workspace = try await Workspace.load(configFile: TestSupport.root.appendingPathComponent("digest.yaml"))
        let issue = IssueInfo(id: "2026-W49", now: TestSupport.demoNow)
        let builder = try DigestBuilder(workspace: workspace, issue: issue, secret: nil)
        let items = (0..<200).map { index -> Item in
            var item = Item(id: "ev-\(index)", kind: .event, source: "s", title: "Evenemang nummer \(index) <b>&</b>")
            item.summary = String(repeating: "Lång beskrivning med åäö. ", count: 20)
            item.start = issue.now.addingTimeInterval(Double(index) * 3600 + 3600)
            item.end = item.start?.addingTimeInterval(3600)
            item.topics = ["finansiering"]
            return item
        }
        let reader = try #require(workspace.subscribers.first)
        let digest = try builder.build(for: reader, items: items, sent: [:])
        #expect(digest.content.events.count == 200)
        #expect(digest.rendered.html.utf8.count <= 90_000)
        #expect(digest.rendered.html.contains("… och "))
        #expect(digest.rendered.html.contains("Evenemang nummer 0 &lt;b&gt;&amp;&lt;/b&gt;"))
        #expect(!digest.rendered.html.contains("<b>&</b>"))
    }
}
