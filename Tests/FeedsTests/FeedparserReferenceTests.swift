import DigestTesting
import Feeds
import Foundation
import Testing

/// Compares titles, links and dates with Python feedparser on every XML fixture
/// (`Tests/Integration/feed_reference.py`). Skipped when `python3 -c "import feedparser"` fails.
@Suite struct FeedparserReferenceTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let script = packageRoot.appendingPathComponent("Tests/Integration/feed_reference.py")
    static let base = "https://feed.example.se/dir/feed.xml"

    static let feedparserAvailable = ProcessRunner.canImport("feedparser")

    /// Where feedparser is known to be wrong and this module right: fixture, entry index, field, why.
    static let knownDifferences: Set<String> = [
        // feedparser does not know the zone name CET and reads 10:00 CET as 10:00 UTC.
        "rss2-iso-8859-1.xml#0.date"
    ]

    struct Reference: Decodable {
        var title: String?
        var link: String?
        var published: String?
        var updated: String?
    }

    static func iso(_ date: Date?) -> String? {
        guard let date else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down)))
    }

    @Test(
        .enabled(
            if: feedparserAvailable,
            "pip package feedparser is not installed (python3 -c \"import feedparser\" failed); pip install feedparser"),
        arguments: Fixture.allNames.filter { $0.hasSuffix(".xml") })
    func matchesFeedparser(fixture: String) async throws {
        let path = Fixture.directory.appendingPathComponent(fixture).path
        let result = try await ProcessRunner.python([Self.script.path, path, "--base", Self.base])
        try #require(result.status == 0)
        let decoder = JSONDecoder()
        let references = try String(decoding: result.stdout, as: UTF8.self).split(separator: "\n")
            .map { try decoder.decode(Reference.self, from: Data($0.utf8)) }
            .filter { $0.title != nil || $0.link != nil || $0.published != nil || $0.updated != nil }
        let feed = try FeedParser().parse(Fixture.data(fixture), baseURL: URL(string: Self.base))
        try #require(feed.items.count == references.count, "\(fixture): item counts differ")
        for (index, (item, reference)) in zip(feed.items, references).enumerated() {
            let key = "\(fixture)#\(index)"
            #expect(item.link?.absoluteString == reference.link, "\(key) link")
            if !Self.knownDifferences.contains(key + ".date") {
                #expect(
                    Self.iso(item.published ?? item.updated) == (reference.published ?? reference.updated),
                    "\(key) date")
            }
            // feedparser keeps markup and escaped entities in titles; this module makes them plain text.
            if let title = reference.title, !title.contains("<"), !title.contains("&") {
                #expect(item.title == title, "\(key) title")
            }
        }
    }
}
