import Deadlines
import Feeds
import Foundation
import Testing

@Suite struct AtomAndJSONFeedTests {
    @Test func atomWithXHTMLContent() throws {
        let feed = try FeedParser().parse(Fixture.data("atom-xhtml-content.xml"))
        #expect(feed.format == .atom)
        #expect(feed.title == "Atom & XHTML")
        #expect(feed.link == URL(string: "https://example.org/blogg/"))
        #expect(feed.problems.isEmpty)
        #expect(feed.items.count == 2)
        let first = feed.items[0]
        #expect(first.id == "tag:example.org,2024:1")
        #expect(first.title == "Ny utlysning")
        #expect(first.link == URL(string: "https://example.org/blogg/poster/1"))
        #expect(first.summaryHTML == "Kort &amp; enkel text")
        #expect(first.contentHTML == "<p>Hej <a href=\"/sida\">världen</a> &amp; <b>mer</b></p><br>")
        #expect(first.published == Date(timeIntervalSince1970: 1_733_216_400.123))
        #expect(first.updated == Fixture.date("2024-12-04T11:00:00Z"))
        #expect(first.authors == ["Cecilia Carlsson"])
        #expect(first.categories == ["bidrag"])
        let second = feed.items[1]
        #expect(second.contentHTML == "<p>HTML-innehåll</p>")
        #expect(second.published == nil)
        #expect(second.updated == Fixture.date("2024-12-05T00:00:00Z"))
        #expect(second.link == URL(string: "https://example.org/annan"))
    }

    @Test func jsonFeed11() throws {
        let feed = try FeedParser().parse(Fixture.data("jsonfeed-1.1.json"), baseURL: URL(string: "https://x.example/"))
        #expect(feed.format == .jsonFeed)
        #expect(feed.title == "JSON-flödet")
        #expect(feed.link == URL(string: "https://example.se/"))
        #expect(feed.items.count == 2)
        let first = feed.items[0]
        #expect(first.id == "1")
        #expect(first.title == "Första")
        #expect(first.link == URL(string: "https://example.se/json/1"))
        #expect(first.summaryHTML == "Sammanfattning")
        #expect(first.contentHTML == "<p>Innehåll</p>")
        #expect(first.published == Fixture.date("2024-12-03T09:00:00Z"))
        #expect(first.updated == Fixture.date("2024-12-03T12:00:00Z"))
        #expect(first.categories == ["bidrag", "innovation"])
        #expect(first.authors == ["Dan Dahl"])
        #expect(first.elements["_deadline"] == "2027-03-15")
        let second = feed.items[1]
        #expect(second.id == "2")
        #expect(second.link == URL(string: "https://example.se/relativ"))
        #expect(second.contentHTML == "Bara text<br>\nrad två")
        #expect(second.published == nil)
        #expect(
            feed.problems.map(\.description) == [
                "item 2: unreadable date_published \"inte ett datum\"; left empty",
                "item 3 is not a JSON object; skipped",
                "item 4 has no id, url, title or content; skipped",
            ])
    }

    @Test func jsonThatIsNotAFeedThrows() {
        #expect(throws: FeedError(.notAFeed, message: "the JSON object has neither a jsonfeed.org version nor items")) {
            try FeedParser().parse(Data(#"{"hello": 1}"#.utf8))
        }
        #expect {
            try FeedParser().parse(Data("{ broken".utf8))
        } throws: { error in
            (error as? FeedError)?.kind == .malformed
        }
    }
}

@Suite struct SwedishAtomFundingCallTests {
    @Test func tillvaxtverketLikeCall() throws {
        let feed = try FeedParser().parse(Fixture.data("atom-swedish-funding-calls.xml"))
        #expect(feed.title == "Utlysningar – regionalfonden")
        #expect(feed.link == URL(string: "https://tillvaxt.example.se/utlysningar"))
        let item = try #require(feed.items.first)
        #expect(item.title == "Utveckla färdigheter för smart specialisering i Norra Mellansverige")
        #expect(item.link == URL(string: "https://tillvaxt.example.se/utlysningar/smart-specialisering.html"))
        #expect(item.categories == ["Dalarna", "Regionalfonden"])
        #expect(item.published == Fixture.date("2026-11-20T08:00:00Z"))
        let content = try #require(item.contentHTML)
        #expect(
            HTMLText.plainText(content, baseURL: item.baseURL)
                == "Utlysningen öppnar 1 februari 2027.\n\nSista ansökningsdag: 19 mars 2027 kl. 14.00\n\n"
                + "Hur mycket kan ni få i stöd? Regionalfonden finansierar max 40 %, upp till 5 mkr.\n\n"
                + "Vem kan söka? <https://tillvaxt.example.se/vem-kan-soka>")
        #expect(
            HTMLSanitizer.sanitize(content, baseURL: item.baseURL).hasSuffix(
                "<p><a href=\"https://tillvaxt.example.se/vem-kan-soka\">Vem kan söka?</a></p>"))
        let finder = DeadlineFinder(timeZone: try #require(TimeZone(identifier: "Europe/Stockholm")))
        let match = finder.find(in: content)
        #expect(match.opens == Fixture.date("2027-01-31T23:00:00Z"))
        #expect(match.deadline == Fixture.date("2027-03-19T13:00:00Z"))
        #expect(match.budgetPhrases == ["upp till 5 mkr"])
        #expect(finder.find(in: item.summaryHTML ?? "").deadline == Fixture.date("2027-03-19T22:59:59Z"))
    }

    @Test func utf16DeclarationOnEightBitDocument() throws {
        let data = Data(
            "<?xml version=\"1.0\" encoding=\"UTF-16\"?><rss><channel><item><title>Å</title></item></channel></rss>"
                .utf8)
        let feed = try FeedParser().parse(data)
        #expect(feed.items.first?.title == "Å")
        #expect(
            feed.problems.map(\.description) == ["line 1: the document declares utf-16 but is 8-bit; read it as UTF-8"])
    }
}
