import Deadlines
import Feeds
import Foundation
import Testing

@Suite struct RSSFixtureTests {
    let feedURL = URL(string: "https://feed.example.se/dir/feed.xml")

    func parse(_ name: String, charset: String? = nil) throws -> Feed {
        try FeedParser().parse(Fixture.data(name), baseURL: feedURL, contentTypeCharset: charset)
    }

    @Test func cdataAndContentEncoded() throws {
        let feed = try parse("rss2-cdata-content-encoded.xml")
        #expect(feed.format == .rss)
        #expect(feed.title == "Företagsnytt Dalarna")
        #expect(feed.link == URL(string: "https://example.se/"))
        #expect(feed.problems.isEmpty)
        #expect(feed.items.count == 2)
        let first = feed.items[0]
        #expect(first.id == "news-1")
        #expect(first.title == "Fish & Chips: nytt stöd")
        #expect(first.link == URL(string: "https://example.se/nyheter/1"))
        #expect(first.summaryHTML == "<p>Kort <b>sammanfattning</b> &amp; mer.</p>")
        #expect(
            first.contentHTML
                == "<p>Hela texten med <a href=\"/las-mer\">länk</a>.</p><ul><li>Ett</li><li>Två</li></ul>")
        #expect(first.published == Fixture.date("2024-12-03T09:00:00Z"))
        #expect(first.authors == ["Anna Andersson"])
        #expect(first.categories == ["Finansiering", "Innovation"])
        #expect(first.elements["dc:creator"] == "Anna Andersson")
        #expect(first.elements["pubDate"] == "Tue, 3 Dec 2024 10:00:00 +0100")
        let second = feed.items[1]
        #expect(second.id == "https://example.se/nyheter/2")
        #expect(second.summaryHTML == "Text utan CDATA &amp; escaped <i>markup</i>")
        #expect(second.published == Fixture.date("2024-12-04T08:30:00Z"))
        #expect(second.authors == ["Bo Berg"])
    }

    @Test func htmlEntitiesAreRepaired() throws {
        let feed = try parse("rss2-html-entities.xml")
        #expect(feed.title == "Entiteter i flödet")
        #expect(feed.items.count == 1)
        #expect(feed.items[0].title == "Räntefritt lån — sök nu … café")
        #expect(feed.items[0].summaryHTML == "<p>Pris:\u{A0}100\u{A0}kr € © &unknownentity; – —</p>")
        #expect(feed.items[0].published == Fixture.date("2024-12-04T09:15:00Z"))
        #expect(
            feed.problems.map(\.description) == [
                "line 4: replaced 13 HTML entities undeclared in XML",
                "line 9: kept 1 unknown entity as text (&unknownentity;)",
            ])
    }

    @Test func iso88591() throws {
        let feed = try parse("rss2-iso-8859-1.xml", charset: "utf-8")
        #expect(feed.title == "Smörgåsbord för företag")
        #expect(feed.items[0].title == "Ökad export från Dalarna")
        #expect(feed.items[0].summaryHTML == "Växjö, Älvdalen och Åre")
        #expect(feed.items[0].published == Fixture.date("2024-12-03T09:00:00Z"))
        #expect(feed.problems.isEmpty)
    }

    @Test func windows1252() throws {
        let feed = try parse("rss2-windows-1252.xml")
        #expect(feed.title == "“Citat” – och € i Windows-1252")
        #expect(feed.items[0].title == "Stöd på 2 000 € – “nu”")
        #expect(feed.items[0].summaryHTML == "Det är … bra")
    }

    @Test func rawAmpersands() throws {
        let feed = try parse("rss2-raw-ampersand.xml")
        #expect(feed.title == "Almi & Coompanion")
        #expect(feed.link == URL(string: "https://example.se/?a=1&b=2"))
        #expect(feed.items[0].title == "Forskning & utveckling & AT&T")
        #expect(feed.items[0].link == URL(string: "https://example.se/sok?typ=bidrag&region=dalarna"))
        #expect(feed.items[0].summaryHTML == "R&D & mer & annat")
        #expect(feed.problems.map(\.description) == ["line 4: escaped 8 bare '&'"])
    }

    @Test func itemsWithoutGuid() throws {
        let feed = try parse("rss2-no-guid.xml")
        #expect(feed.items.count == 2)
        #expect(feed.items[0].id == nil)
        #expect(feed.items[0].stableID(source: "nyheter") == "https://example.se/med-lank")
        #expect(feed.items[1].link == nil)
        #expect(
            feed.items[1].stableID(source: "nyheter") == "fnv1a:"
                + FeedItem.fnv1a64Hex("nyheter\u{1F}Varken guid eller länk"))
        #expect(stableID(for: feed.items[1], source: "annan") != feed.items[1].stableID(source: "nyheter"))
        #expect(feed.problems.map(\.description) == ["line 13: skipped an item with no title, link, id or text"])
    }

    @Test func fnv1aMatchesReferenceVectors() {
        #expect(FeedItem.fnv1a64Hex("") == "cbf29ce484222325")
        #expect(FeedItem.fnv1a64Hex("a") == "af63dc4c8601ec8c")
        #expect(FeedItem.fnv1a64Hex("foobar") == "85944171f73967e8")
    }

    @Test func relativeLinksAndXMLBase() throws {
        let feed = try parse("rss2-relative-links-xml-base.xml")
        #expect(feed.link == URL(string: "https://example.se/"))
        #expect(
            feed.items.map(\.link) == [
                URL(string: "https://example.se/nyheter/artikel-1.html"),
                URL(string: "https://annan.example.org/a/c.html"),
                URL(string: "https://example.com/x?y=1"),
            ])
        #expect(feed.items[1].baseURL == URL(string: "https://annan.example.org/a/b/"))
        let noBase = try parse("rss2-relative-links-no-base.xml")
        #expect(noBase.items[0].link == URL(string: "https://feed.example.se/utlysningar/42"))
        #expect(noBase.link == URL(string: "https://feed.example.se/"))
    }

    @Test func doubleEscapedTitlesBecomePlainText() throws {
        let feed = try parse("rss2-double-escaped-title.xml")
        #expect(feed.items.map(\.title) == ["Fet rubrik & mer", "Enkel markup", "Tom & Jerry och AT&T <3"])
    }

    @Test func rss091() throws {
        let feed = try parse("rss091.xml")
        #expect(feed.format == .rss)
        #expect(feed.title == "RSS 0.91-flöde")
        #expect(feed.link == URL(string: "https://example.se/"))
        #expect(feed.items.count == 1)
        #expect(feed.items[0].title == "Gammal nyhet")
        #expect(feed.items[0].summaryHTML == "Beskrivning\u{A0}med entitet")
    }

    @Test func rss1WithEventModule() throws {
        let feed = try parse("rss1-rdf-event-module.xml")
        #expect(feed.format == .rdf)
        #expect(feed.title == "Främjarkalendern")
        #expect(feed.link == URL(string: "https://example.se/kalender"))
        #expect(feed.items.count == 2)
        let item = feed.items[0]
        #expect(item.id == "https://example.se/event/1")
        #expect(item.published == Fixture.date("2026-11-20T08:00:00Z"))
        #expect(item.categories == ["Finansiering"])
        #expect(
            item.event
                == FeedEventInfo(
                    start: Fixture.date("2027-01-20T07:00:00Z"), end: Fixture.date("2027-01-20T09:00:00Z"),
                    startText: "2027-01-20T08:00:00+01:00", endText: "2027-01-20T10:00:00+01:00",
                    location: "Dalarna Science Park, Borlänge", organizer: "Region Dalarna", type: "seminarium"))
        #expect(item.elements["x:budget"] == "500 000 kr")
        #expect(item.elements["deadline"] == "2027-01-10")
        #expect(item.elements["ev:location"] == "Dalarna Science Park, Borlänge")
        #expect(feed.items[1].event?.startText == "2027-02-03")
        #expect(feed.items[1].event?.start == Fixture.date("2027-02-03T00:00:00Z"))
    }

    @Test func dateOnlyValuesUseTheParsersZone() throws {
        let stockholm = try #require(TimeZone(identifier: "Europe/Stockholm"))
        let feed = try FeedParser(timeZone: stockholm).parse(Fixture.data("rss1-rdf-event-module.xml"))
        #expect(feed.items[1].event?.start == Fixture.date("2027-02-02T23:00:00Z"))
    }

    @Test func swedishFundingCalls() throws {
        let feed = try parse("rss2-swedish-funding-calls.xml")
        let finder = DeadlineFinder(timeZone: try #require(TimeZone(identifier: "Europe/Stockholm")))
        let matches = feed.items.map { finder.find(in: $0.summaryHTML ?? "") }
        #expect(matches[0].deadline == Fixture.date("2027-01-15T22:59:59Z"))
        #expect(matches[0].budgetPhrases == ["upp till 2 mkr"])
        #expect(matches[1].opens == Fixture.date("2027-01-31T23:00:00Z"))
        #expect(matches[1].deadline == Fixture.date("2027-03-19T13:00:00Z"))
        #expect(matches[1].deadlineHasTime)
        #expect(matches[1].budgetPhrases == ["Budget: 10 miljoner kronor"])
        #expect(matches[2].deadline == Fixture.date("2027-01-15T22:59:59Z"))
        #expect(matches[2].allDeadlines.count == 1)
        #expect(feed.items[2].published == Fixture.date("2026-11-18T09:00:00Z"))
    }
}
