import Deadlines
import DigestTesting
import Feeds
import Foundation
import Testing

/// Mutated fixtures and pathological inputs must neither crash nor hang any parser.
@Suite struct FuzzTests {
    static let tokens: [[UInt8]] = [
        "<", ">", "&", "&nbsp;", "]]>", "<![CDATA[", "</item>", "<item>", "\"", "&#0;", "&#x110000;", "\u{0}", "\u{FF}",
        "<!--", "<?xml", "<entry>", "<p>", "</p>", "kl. 14.00", "15 januari", "2027-01-", "{", "[", ":",
    ].map { Array($0.utf8) }

    @Test func mutatedFixturesNeverCrash() throws {
        var generator = SplitMix64(seed: 20_261_129)
        let finder = DeadlineFinder(timeZone: TimeZone(identifier: "Europe/Stockholm") ?? .current)
        for name in Fixture.allNames {
            let original = try [UInt8](Fixture.data(name))
            for _ in 0..<40 {
                var bytes = original
                for _ in 0..<Int.random(in: 1...6, using: &generator) {
                    let position = Int.random(in: 0...bytes.count, using: &generator)
                    switch Int.random(in: 0..<3, using: &generator) {
                    case 0: bytes.insert(contentsOf: Self.tokens.randomElement(using: &generator) ?? [], at: position)
                    case 1: if position < bytes.count { bytes.remove(at: position) }
                    default: bytes = Array(bytes.prefix(position))
                    }
                }
                if let feed = try? FeedParser().parse(Data(bytes)) {
                    for item in feed.items {
                        let html = item.contentHTML ?? item.summaryHTML ?? ""
                        _ = HTMLText.plainText(html)
                        _ = HTMLSanitizer.sanitize(html, baseURL: item.baseURL)
                        _ = finder.find(in: html)
                    }
                }
            }
        }
    }

    @Test func pathologicalInputs() {
        let deep = String(repeating: "<div>", count: 5000) + "x"
        #expect(HTMLText.plainText(deep) == "x")
        #expect(HTMLSanitizer.sanitize(deep, baseURL: nil) == "x")
        let nestedJSON = Data((String(repeating: "[", count: 10000) + String(repeating: "]", count: 10000)).utf8)
        #expect(throws: FeedError.self) { try FeedParser().parse(nestedJSON) }
        let deepXML = Data(("<rss><channel>" + String(repeating: "<a>", count: 20000)).utf8)
        #expect((try? FeedParser().parse(deepXML))?.items.isEmpty ?? true)
        let finder = DeadlineFinder(timeZone: .current, extraDeadlinePhrases: ["", "  "])
        #expect(finder.find(in: String(repeating: "15 januari 2027 kl. ", count: 2000)).deadline == nil)
        #expect(FeedDate.parse(String(repeating: "1 ", count: 100)) == nil)
        let doctypes = Data((String(repeating: "<!DOCTYPE a>", count: 100_000) + "<rss><channel><item><title>x").utf8)
        let clock = ContinuousClock()
        let elapsed = clock.measure { _ = try? FeedParser().parse(doctypes) }
        #expect(elapsed < .seconds(10), "100,000 DOCTYPEs took \(elapsed)")
        let openTags = String(repeating: "&lt;a", count: 200_000)
        let titleTime = clock.measure {
            _ = try? FeedParser().parse(
                Data("<rss><channel><item><title>\(openTags)</title></item></channel></rss>".utf8))
        }
        #expect(titleTime < .seconds(10), "a title of 200,000 unclosed tags took \(titleTime)")
    }
}
