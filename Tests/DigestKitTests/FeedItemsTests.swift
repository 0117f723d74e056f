import DigestTesting
import Foundation
import Logging
import Testing

@testable import DigestKit

/// Feed entries as items: the deadline read from the whole text, the feed's dates kept apart, closed calls noted.
@Suite("Feed items")
struct FeedItemsTests {
    static let config = """
        newsletter:
          title: "Företagsfrämjarna i Dalarna"
          from: "Företagsfrämjarna Dalarna <nyhetsbrev@example.se>"
          timeZone: Europe/Stockholm
        sources:
          - name: utlysningar
            kind: funding
            url: calls.xml
            format: rss

        """

    static let feed = """
        <?xml version="1.0" encoding="utf-8"?>
        <rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
          xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/">
          <channel>
            <title>Utlysningar</title>
            <item>
              <title>Innovationscheck 2027</title>
              <link>https://example.se/check</link>
              <description>Stöd till små företag som vill utveckla något nytt.</description>
              <content:encoded><![CDATA[<p>Stöd till små företag som vill utveckla något nytt.</p>
                <p>Sista ansökningsdag är den 15 januari 2027.</p>]]></content:encoded>
              <pubDate>Tue, 03 Nov 2026 09:00:00 +0100</pubDate>
              <dcterms:modified>2026-11-20T12:30:00+01:00</dcterms:modified>
            </item>
            <item><description>Utan titel: sista ansökningsdag 1 februari 2027.</description></item>
            <item><description>Också utan titel: sista ansökningsdag 2 februari 2027.</description></item>
            <item>
              <title>Stängd utlysning</title>
              <link>https://example.se/stangd</link>
              <description>Sista ansökningsdag 1 november 2026.</description>
            </item>
          </channel>
        </rss>
        """

    func collect() async throws -> CollectResult {
        let folder = try TestSupport.temporaryFolder()
        try TestSupport.write(Self.feed, to: "calls.xml", in: folder)
        let file = try TestSupport.write(Self.config, to: "digest.yaml", in: folder)
        let config = try DigestConfig.load(from: file)
        let collector = SourceCollector(config: config, taxonomy: .empty, logger: Logger(label: "test"))
        return await collector.collect(window: DateInterval(start: TestSupport.demoNow, duration: 28 * 86400))
    }

    @Test("a deadline only in content:encoded, beside a shorter description, is found")
    func deadlineInContentEncoded() async throws {
        let result = try await collect()
        let json = ItemJSON(timeZone: try #require(TimeZone(identifier: "Europe/Stockholm")))
        #expect(result.items.map(\.title) == ["Innovationscheck 2027", "", ""])
        let call = try #require(result.items.first)
        #expect(call.deadline.map { json.time($0, allDay: false) } == "2027-01-15T23:59:59+01:00")
        #expect(call.published.map { json.time($0, allDay: false) } == "2026-11-03T09:00:00+01:00")
        #expect(call.updated.map { json.time($0, allDay: false) } == "2026-11-20T12:30:00+01:00")
    }

    @Test("two untitled entries, their text only in a description, are two items, not merged into one")
    func untitledEntriesStayApart() async throws {
        let result = try await collect()
        #expect(
            result.items.filter { $0.title.isEmpty }.map(\.summary) == [
                "Utan titel: sista ansökningsdag 1 februari 2027.",
                "Också utan titel: sista ansökningsdag 2 februari 2027.",
            ])
    }

    @Test("a call closed before the window is left out with a note naming how many, not silently")
    func closedCallsAreNoted() async throws {
        let result = try await collect()
        #expect(result.reports.map(\.notes) == [["1 call(s) closed before 2026-12-01"]])
    }

    @Test("the quick reading of a plain link gives what URLComponents gives, on 20,000 random links")
    func quickCanonicalAgreesWithComponents() {
        var generator = SplitMix64(seed: 1123)
        let hosts = ["example.se", "www.almi.se", "x-y.example.com", "127.0.0.1", "Example.SE", "a_b.se", "ex:8080"]
        let pool =
            #"abcXYZ019-._~!$&'()*+,;=:@/%?#[]|^{}\" "#.map(String.init) + ["%20", "%2F", "å", "ä", "ö", "//", "?q=1"]
        var quick = 0
        for _ in 0..<20_000 {
            let scheme = ["http://", "https://", "HTTPS://", "ftp://"].randomElement(using: &generator)!
            let path = (0..<Int.random(in: 0...12, using: &generator)).map { _ in
                pool.randomElement(using: &generator)!
            }.joined()
            let text =
                scheme + hosts.randomElement(using: &generator)! + (Bool.random(using: &generator) ? "/" : "")
                + path
            guard let url = URL(string: text) else { continue }
            if let fast = FeedItems.quickCanonical(url.absoluteString) {
                quick += 1
                #expect(fast == FeedItems.componentsCanonical(url), "\(text)")
            }
        }
        #expect(quick > 3_000)
    }
}
